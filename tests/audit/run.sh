#!/usr/bin/env bash
# Audit goldens: for every tests/audit/cases/<rule>[_variant].nsp (a policy
# violating that rule, plus a compliant one), the diagnostics of `netsep
# check` must equal <case>.expected; the audit reports (text, json, html,
# sarif; English and Korean) of selected cases and of examples/bank.nsp
# equal reports/<case>[.ko].<ext>, the exception registers equal
# register/<case>.<csv|json>, and every HTML report is well formed and
# self-contained. The defects of issue 16 are also asserted one by one, so
# that accepting a golden file cannot hide them. NETSEP_UPDATE_GOLDEN=1
# rewrites the expected files.
set -u
netsep=$1
here=$(cd "$(dirname "$0")" && pwd)
asof=2026-11-22
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
update=${NETSEP_UPDATE_GOLDEN:-0}
compare() { # name expected actual
  if [ "$update" = 1 ]; then cp "$3" "$2"; echo "UPDATED $1"; pass=$((pass + 1)); return; fi
  if diff -u "$2" "$3" >"$work/diff"; then echo "PASS $1"; pass=$((pass + 1));
  else echo "FAIL $1"; head -40 "$work/diff"; fail=$((fail + 1)); fi
}
cd "$here/cases" || exit 1
for policy in *.nsp; do
  name=${policy%.nsp}
  rule=${name%%_*}
  "$netsep" check "$policy" --as-of $asof >"$work/out" 2>&1
  echo "exit: $?" >>"$work/out"
  # The rule a case is named after must be reported (guards against goldens
  # that were accepted while the check was broken).
  case "$name" in
    compliant) grep -q '\[\(AIX\|ZSG\)-' "$work/out" && { echo "FAIL $name: has audit findings"; fail=$((fail + 1)); } ;;
    *) grep -q "\[$rule\]" "$work/out" || { echo "FAIL $name: $rule not reported"; fail=$((fail + 1)); } ;;
  esac
  compare "check $name" "$name.expected" "$work/out"
done
mkdir -p "$here/reports" "$here/register"
check_html() { # label file
  if python3 "$here/check_html.py" "$2"; then echo "PASS html well-formed $1"; pass=$((pass + 1));
  else echo "FAIL html $1"; fail=$((fail + 1)); fi
}
# report DIR POLICY NAME: every format in English, text and html in Korean.
report() {
  local dir=$1 policy=$2 name=$3 fmt lang
  for fmt in text json html sarif; do
    (cd "$dir" && "$netsep" audit "$policy" --as-of $asof --format $fmt) >"$work/$name.$fmt" 2>/dev/null
    compare "audit $name $fmt" "$here/reports/$name.$fmt" "$work/$name.$fmt"
  done
  for fmt in text html; do
    (cd "$dir" && "$netsep" audit "$policy" --as-of $asof --format $fmt --lang ko) \
      >"$work/$name.ko.$fmt" 2>/dev/null
    compare "audit $name ko $fmt" "$here/reports/$name.ko.$fmt" "$work/$name.ko.$fmt"
  done
  check_html "$name" "$work/$name.html"
  check_html "$name ko" "$work/$name.ko.html"
}
for name in compliant ZSG-001 AIX-003 AIX-014 W506; do
  report "$here/cases" "$name.nsp" "$name"
done
report "$here/../../examples" bank.nsp example-bank
report "$here/assumptions" held-back.nsp held-back
for name in AIX-014 injection; do
  dir=$here/cases
  [ "$name" = injection ] && dir=$here/register
  for fmt in csv json; do
    (cd "$dir" && "$netsep" register "$name.nsp" --as-of $asof --format $fmt) >"$work/$name.register.$fmt" 2>/dev/null
    compare "register $name $fmt" "$here/register/$name.$fmt" "$work/$name.register.$fmt"
  done
done
# The register opens safely in a spreadsheet: no cell starts a formula.
if python3 "$here/check_register.py" "$work/injection.register.csv" "$work/injection.register.json"; then
  echo "PASS register is injection-safe"; pass=$((pass + 1))
else echo "FAIL register injection"; fail=$((fail + 1)); fi

# The defects of issue 16, asserted on their own.
expect() { # label command...
  local label=$1; shift
  if "$@"; then echo "PASS $label"; pass=$((pass + 1)); else echo "FAIL $label"; fail=$((fail + 1)); fi
}
has() { grep -qF -- "$2" "$1"; }
"$netsep" check "$here/cases/AIX-014.nsp" --as-of $asof >"$work/d1" 2>&1; rc=$?
expect "defect 1: an exception outside its letter's scope is an error" \
  sh -c "[ $rc = 1 ] && grep -q \"error\[AIX-014\]: exception 'office-chatgpt' is outside the scope\" '$work/d1'"
"$netsep" check "$here/cases/AIX-017.nsp" --as-of $asof >"$work/d1b" 2>&1; rc=$?
expect "defect 1: a letter id reused for another scope is an error" \
  sh -c "[ $rc = 1 ] && grep -q \"error\[AIX-017\]: letter id 'FSC-NAL-2026-017' is also the basis of exception 'x'\" '$work/d1b'"
"$netsep" check "$here/cases/AIX-003.nsp" --as-of $asof >"$work/d3" 2>&1
expect "defect 3: a sandbox designation without an issue date is never in force" \
  grep -q "error\[AIX-003\]: exception 'sandbox-forever'" "$work/d3"
expect "defect 3: a saas-general exception lasts 184 days from its screening" \
  grep -q "error\[AIX-003\]: exception 'saas-forever' runs 2099 days" "$work/d3"
bank=$work/example-bank
expect "defect 2: text report lists the waiver, the isolated zone and the delegation" \
  sh -c "grep -q 'RISK-77' '$bank.text' && grep -q '^ai-scan  bank.nsp:[0-9]*$' '$bank.text' && grep -q 'corp-sso-proxy' '$bank.text' && grep -q 'soc-triage' '$bank.text'"
expect "defect 2: a finding held back by a waiver says so" \
  grep -q "Held back by: waiver of hop app -> core service postgres (ticket RISK-77)" "$bank.text"
expect "defect 2: json report lists every assumption" python3 -c "
import json,sys
a=json.load(open('$bank.json'))['assumptions']
assert a['waivers'][0]['ticket']=='RISK-77' and a['waivers'][0]['owner']=='core-it', a['waivers']
assert a['isolatedZones'][0]['zone']=='ai-scan' and a['isolatedZones'][0]['enforcedBy']=='network'
d=a['identityDelegations'][0]
assert d['trusted']=='corp-sso-proxy' and d['rulesWithoutIdentity']==['soc-triage'], d
assert a['heldBack'][0]['ruleId']=='LAT-001' and a['heldBack'][0]['by'][0]['kind']=='waiver'
"
expect "defect 2: sarif report carries every assumption as a located note" python3 -c "
import json
r=json.load(open('$bank.sarif'))['runs'][0]['results']
ids=sorted(x['ruleId'] for x in r if x['ruleId'].startswith('ASM-'))
assert ids==['ASM-001','ASM-002','ASM-003','ASM-004'], ids
assert all(x['level']=='note' and x['locations'] for x in r if x['ruleId'].startswith('ASM-'))
"
expect "defect 2: html report has the assumption sections" \
  sh -c "grep -q 'id=\"waivers\"' '$bank.html' && grep -q 'id=\"isolated\"' '$bank.html' && grep -q 'id=\"delegations\"' '$bank.html' && grep -q 'RISK-77' '$bank.html'"
(cd "$here/../golden/analysis" && "$netsep" paths spec-example.nsp --as-of $asof) >"$work/d2s" 2>&1
expect "defect 2: the isolated suggestion says it is an assumption enforced elsewhere" \
  grep -q "declare zone secops isolated (only if the network keeps its hosts apart: netsep emits no rule" "$work/d2s"
expect "provenance: version, as-of date and digest in the report" \
  sh -c "grep -q 'As-of date: $asof' '$bank.text' && grep -q 'Policy digest: sha256:' '$bank.text'"
held=$work/held-back.text
expect "assumptions: a path held back by two assumptions together names exactly those two" \
  grep -q "^  Held back by: waiver of hop analysts -> core service https (ticket RISK-2); zone secops declared isolated (only together)$" "$held"
expect "assumptions: a path held back by one waiver names it alone" \
  grep -q "^  Held back by: waiver of hop app -> core service postgres (ticket RISK-1)$" "$held"
expect "assumptions: the exception says it passes only because of them" \
  grep -q "^  Passes only because of: LAT-001: waiver of hop analysts -> core service https (ticket RISK-2); zone secops declared isolated (only together)" "$held"
digest=$(cd "$here/../../examples" && sha256sum bank.nsp | sha256sum | cut -d' ' -f1)
expect "provenance: the digest is sha256sum over sha256sum of the policy files" \
  grep -q "Policy digest: sha256:$digest" "$bank.text"
expect "expiry calendar: the screening due in 8 days" \
  grep -q "2026-11-30  (8 days)  SaaS screening claude-api" "$bank.text"
# Exit status of `netsep audit`: 1 with errors, 0 without.
"$netsep" audit compliant.nsp --as-of $asof >/dev/null 2>&1; rc1=$?
"$netsep" audit AIX-005.nsp --as-of $asof >/dev/null 2>&1; rc2=$?
if [ "$rc1" = 0 ] && [ "$rc2" = 1 ]; then echo "PASS audit exit codes"; pass=$((pass + 1));
else echo "FAIL audit exit codes ($rc1, $rc2)"; fail=$((fail + 1)); fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
