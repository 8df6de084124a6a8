#!/usr/bin/env bash
# Change review through the CLI (docs/ci.md): `diff`, `explain`, waived
# paths, `check` as the whole gate, `--fail-on`, SARIF columns.
#   tests/review/run.sh path/to/netsep
# Goldens in tests/review/expected/ (NETSEP_UPDATE_GOLDEN=1 rewrites them;
# review with git diff); everything else is asserted here. Each defect of
# issue 13 has a check that fails on a netsep without the fix.
set -u
netsep=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
cases=$here/cases
expected=$here/expected
examples=$(cd "$here/../../examples" && pwd)
asof="--as-of 2026-11-22"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$expected"
pass=0
fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }

# run CMD...: stdout to $work/out, stderr to $work/err, exit code to $rc.
run() { "$@" >"$work/out" 2>"$work/err"; rc=$?; }
expect_rc() { # name want cmd...
  local name=$1 want=$2; shift 2
  run "$@"
  if [ "$rc" = "$want" ]; then ok "$name"; else
    bad "$name (exit $rc, want $want)"; head -20 "$work/out" "$work/err"; fi
}
has() { # name file text: the file contains the text
  if grep -qF -- "$3" "$2"; then ok "$1"; else bad "$1: no '$3' in $(basename "$2")"; head -30 "$2"; fi
}
hasnt() {
  if grep -qF -- "$3" "$2"; then bad "$1: unexpected '$3'"; grep -F -- "$3" "$2" | head -5; else ok "$1"; fi
}
# py NAME FILE CODE: CODE (python) sees the file's JSON as j and asserts.
py() {
  if python3 - "$2" "$3" 2>"$work/py.err" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
exec(sys.argv[2])
EOF
  then ok "$1"; else bad "$1"; tail -5 "$work/py.err"; fi
}
# golden NAME DIR CMD...: stdout+stderr and exit code against expected/NAME.
golden() {
  local name=$1 dir=$2; shift 2
  (cd "$dir" && "$@" >"$work/g.out" 2>"$work/g.err"; echo "exit: $?" >"$work/g.rc")
  cat "$work/g.out" "$work/g.err" "$work/g.rc" >"$work/g"
  if [ "${NETSEP_UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$work/g" "$expected/$name"; echo "UPDATED $name"; pass=$((pass + 1)); return
  fi
  if diff -u "$expected/$name" "$work/g" >"$work/g.diff"; then ok "golden $name"; else
    bad "golden $name (NETSEP_UPDATE_GOLDEN=1 to accept)"; head -40 "$work/g.diff"; fi
}

echo "== defect 6: SARIF columns are UTF-16 code units, declared; text/JSON count code points"
run "$netsep" check "$cases/hangul.nsp" --format sarif $asof
cp "$work/out" "$work/hangul.sarif"
run "$netsep" check "$cases/hangul.nsp" --format json $asof
cp "$work/out" "$work/hangul.json"
run "$netsep" check "$cases/hangul.nsp" $asof
cp "$work/err" "$work/hangul.txt"
cols=$(python3 - "$cases/hangul.nsp" <<'EOF'
import sys
line = open(sys.argv[1], encoding="utf-8").read().split("\n")[5]
i = line.index("nope")
print(i + 1, len(line[:i].encode("utf-16-le")) // 2 + 1)
EOF
)
cp_col=${cols% *}
u16_col=${cols#* }
py "SARIF run declares columnKind utf16CodeUnits" "$work/hangul.sarif" \
  "assert j['runs'][0]['columnKind'] == 'utf16CodeUnits'"
py "SARIF startColumn after Hangul and an emoji is in UTF-16 units ($u16_col)" "$work/hangul.sarif" \
  "r = j['runs'][0]['results'][0]['locations'][0]['physicalLocation']['region']
assert r['startColumn'] == $u16_col, r
assert r['endColumn'] == $u16_col + 4, r"
py "JSON column counts code points ($cp_col)" "$work/hangul.json" \
  "assert j['diagnostics'][0]['column'] == $cp_col, j['diagnostics'][0]"
has "text diagnostic says line:column in code points" "$work/hangul.txt" "hangul.nsp:6:$cp_col:"
python3 - "$work/hangul.txt" <<'EOF' && ok "caret sits under the token on a terminal (wide Hangul cells)" || bad "caret misplaced on a line with Hangul"
import sys, unicodedata
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
src, caret = lines[1], lines[2]
cells = lambda s: sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
assert cells(src[:src.index("nope")]) == caret.index("^"), (src, caret)
assert caret.count("~") == 3
EOF

echo "== defect 4: check fails wherever compile fails (E501/E502 before writing)"
for p in identity-unenforced long-interface; do
  expect_rc "check $p exits 1" 1 "$netsep" check "$cases/$p.nsp" $asof
  has "check $p reports E501" "$work/err" "error[E501]"
  expect_rc "compile $p exits 1 too" 1 "$netsep" compile "$cases/$p.nsp" -o "$work/out-$p" $asof
  run "$netsep" check "$cases/$p.nsp" --format sarif $asof
  py "check --format sarif on $p carries E501 for code scanning" "$work/out" \
    "assert any(r['ruleId'] == 'E501' and r['level'] == 'error' for r in j['runs'][0]['results'])"
done
# A filter that selects nothing is a usage error for check as for compile.
expect_rc "check --backend that no firewall lists exits 2" 2 \
  "$netsep" check "$cases/long-interface.nsp" --backend juniper-srx $asof
expect_rc "compile --backend that no firewall lists exits 2 too" 2 \
  "$netsep" compile "$cases/long-interface.nsp" -o "$work/out-nobackend" --backend juniper-srx $asof
expect_rc "check --firewall of an unknown firewall is a usage error" 2 \
  "$netsep" check "$cases/long-interface.nsp" --firewall nope $asof
expect_rc "check of the bank example still passes" 0 "$netsep" check "$examples/bank.nsp" $asof
has "check shows compile's notes (identity enforced elsewhere)" "$work/err" "note[N501]"

echo "== defect 5: --fail-on makes expiry fail CI"
bank=$examples/bank.nsp
expect_rc "an expired exception alone is a warning (exit 0)" 0 \
  "$netsep" check "$bank" --as-of 2027-06-30
expect_rc "--fail-on expired: exit 1" 1 "$netsep" check "$bank" --as-of 2027-06-30 --fail-on expired
has "--fail-on expired names the exception (CIG-001)" "$work/err" "error[CIG-001]: exception ai-vuln-scan expired on 2027-06-22"
expect_rc "compile --fail-on expired: exit 1" 1 \
  "$netsep" compile "$bank" -o "$work/gated" --as-of 2027-06-30 --fail-on expired
if [ ! -e "$work/gated" ]; then ok "compile --fail-on writes nothing"; else bad "compile --fail-on wrote $work/gated"; fi
expect_rc "audit --fail-on expired: exit 1" 1 "$netsep" audit "$bank" --as-of 2027-06-30 --fail-on expired
expect_rc "--fail-on expiring=30d, 21 days left: exit 1" 1 \
  "$netsep" check "$bank" --as-of 2027-06-01 --fail-on expiring=30d
has "expiring names the days left (CIG-002)" "$work/err" "error[CIG-002]: exception ai-vuln-scan expires on 2027-06-22 (in 21 days), within 30 days"
expect_rc "--fail-on expiring=14d, 21 days left: exit 0" 0 \
  "$netsep" check "$bank" --as-of 2027-06-01 --fail-on expiring=14d
expect_rc "--fail-on waiver-expiring=14d, 10 days left: exit 1" 1 \
  "$netsep" check "$bank" --as-of 2027-09-20 --fail-on expired,waiver-expiring=14d
has "waiver-expiring names the ticket (CIG-004)" "$work/err" "error[CIG-004]: waiver of hop app -> core service postgres (ticket RISK-77)"
expect_rc "--fail-on waiver-expired after the waiver ended: exit 1" 1 \
  "$netsep" check "$cases/waived.nsp" --as-of 2027-04-02 --fail-on waiver-expired
has "waiver-expired names the ticket (CIG-003)" "$work/err" "error[CIG-003]: waiver of hop oms -> trading service fix (ticket RISK-204) expired on 2027-03-31"
expect_rc "--fail-on CODE raises that warning (ANO-001)" 1 \
  "$netsep" check "$cases/base.nsp" $asof --fail-on ANO-001
has "raised warning is reported as an error" "$work/err" "error[ANO-001]"
expect_rc "--fail-on warnings" 1 "$netsep" check "$cases/base.nsp" $asof --fail-on warnings
expect_rc "--fail-on of other codes leaves warnings alone" 0 \
  "$netsep" check "$cases/base.nsp" $asof --fail-on AIX-013
expect_rc "a malformed --fail-on is a usage error" 2 "$netsep" check "$bank" --fail-on expiring
has "malformed --fail-on says what it expects" "$work/err" "needs a number of days"
expect_rc "an unknown --fail-on condition is a usage error" 2 "$netsep" check "$bank" --fail-on soon
run "$netsep" check "$bank" --as-of 2027-06-30 --fail-on expired --format sarif
py "gates show in SARIF with a rule description" "$work/out" \
  "assert any(r['id'] == 'CIG-001' for r in j['runs'][0]['tool']['driver']['rules'])"

echo "== defect 3: waived paths are listed, not hidden"
w=$cases/waived.nsp
expect_rc "paths --from internet --to trading without waived paths: exit 0" 0 \
  "$netsep" paths "$w" --from internet --to trading $asof
has "the hidden finding is named even without --include-waived" "$work/out" "waived: 1 finding hidden by live waivers"
expect_rc "paths --include-waived: exit 0 (accepted risk, not a failure)" 0 \
  "$netsep" paths "$w" --from internet --to trading --include-waived $asof
has "--include-waived shows the path" "$work/out" "internet → web (web-in, https) → oms (web-oms, https) → trading (oms-trading, fix)"
has "--include-waived names the waiver, ticket and expiry" "$work/out" "accepted risk: waive hop oms -> trading service fix (RISK-204, until 2027-03-31"
run "$netsep" paths "$w" --include-waived $asof
has "blast radius with --include-waived reaches trading" "$work/out" "dmz, oms, trading, web"
run "$netsep" paths "$w" --format json $asof
py "paths JSON always lists waived paths with their waiver" "$work/out" \
  "ps = j['waivedPaths']['lateralMovement']
assert len(ps) == 1 and ps[0]['from'] == 'internet' and ps[0]['to'] == 'trading', ps
assert ps[0]['waived'] and ps[0]['waivedBy'][0]['ticket'] == 'RISK-204', ps[0]"
run "$netsep" check "$w" --format sarif $asof
py "SARIF lists the waived finding as suppressed (inSource, accepted, justified)" "$work/out" \
  "rs = [r for r in j['runs'][0]['results'] if r['ruleId'] == 'LAT-001']
assert len(rs) == 1, rs
s = rs[0]['suppressions'][0]
assert s['kind'] == 'inSource' and s['status'] == 'accepted', s
assert 'RISK-204' in s['justification'] and '2027-03-31' in s['justification'] and 'FIX gateway' in s['justification'], s
assert s['location']['physicalLocation']['region']['startLine'] == 21, s"
run "$netsep" check "$w" --format json $asof
py "diagnostics JSON lists it under suppressed" "$work/out" \
  "assert j['summary']['suppressed'] == 1 and j['suppressed'][0]['code'] == 'LAT-001'
assert j['summary']['errors'] == 0"
run "$netsep" audit "$w" $asof
has "audit lists the risk acceptance" "$work/out" "oms -> trading service fix"
has "audit gives the days left" "$work/out" "Until: 2027-03-31 (129 days left)"
has "audit says what the waiver holds back" "$work/out" "LAT-001"
run "$netsep" audit "$w" --format json $asof
py "audit JSON lists the waiver under assumptions" "$work/out" \
  "r = j['assumptions']['waivers'][0]
assert r['ticket'] == 'RISK-204' and r['daysLeft'] == 129 and r['live'] and r['matched'], r"
run "$netsep" audit "$w" --format html $asof
has "audit HTML has the section" "$work/out" "Risk acceptances (waived hops)"

echo "== defect 2: explain, and paths by address or for a business flow"
b=$cases/base.nsp
golden explain-allowed.txt "$cases" "$netsep" explain base.nsp 10.60.5.23 10.40.1.15 https $asof
golden explain-default-deny.txt "$cases" "$netsep" explain base.nsp 10.60.7.1 10.40.1.15 tcp/443 $asof
golden explain-deny-overrides.txt "$cases" "$netsep" explain base.nsp 10.60.5.23 10.40.1.15 telnet $asof
golden explain-exception.txt "$cases" "$netsep" explain base.nsp scanners claude-api https $asof
golden explain-any.txt "$cases" "$netsep" explain base.nsp traders oms-servers $asof
golden explain-identity.txt "$cases" "$netsep" explain identity.nsp 10.99.1.9 10.99.2.4 https $asof
golden explain-unenforced.txt "$cases" "$netsep" explain identity-unenforced.nsp 10.99.1.9 10.99.2.4 https $asof
golden explain-waiver.txt "$cases" "$netsep" explain waived.nsp 10.99.2.7 10.99.3.20 fix $asof
golden explain-same-zone.txt "$cases" "$netsep" explain base.nsp 10.60.5.23 10.60.9.9 $asof
run "$netsep" explain "$b" 10.60.5.23 10.40.1.15 https --format json $asof
py "explain JSON: verdict, firewall, deciding rule with file:line" "$work/out" \
  "assert j['verdict'] == 'allowed'
fw = j['firewalls'][0]
assert fw['name'] == 'fw-core' and fw['fromZone'] == 'office' and fw['toZone'] == 'oms'
d = fw['decisions'][0]
assert d['verdict'] == 'allow' and d['rule']['name'] == 'traders-oms' and d['rule']['where'].endswith('base.nsp:27'), d"
printf '10.60.5.23 10.40.1.15 https\n# a comment\n\n10.60.7.1 10.40.1.15 tcp/443\n' >"$work/batch"
run "$netsep" explain "$b" --batch "$work/batch" --format json $asof
py "explain --batch answers every line in order" "$work/out" \
  "assert [x['verdict'] for x in j] == ['allowed', 'denied'], j"
printf '10.60.5.23\n' >"$work/badbatch"
expect_rc "a malformed batch line is a usage error" 2 "$netsep" explain "$b" --batch "$work/badbatch" $asof
expect_rc "explain of an unknown name is a usage error" 2 "$netsep" explain "$b" nowhere 10.40.1.15 $asof
has "explain says why" "$work/out" "neither a host address nor a zone, group or saas endpoint"
expect_rc "explain of an unknown service is a usage error" 2 "$netsep" explain "$b" traders oms gopher $asof
expect_rc "paths --from an address: exit 0" 0 "$netsep" paths "$b" --from 10.60.5.23 $asof
has "paths --from an address says who holds it" "$work/err" "10.60.5.23 is in zone office (kind internal, level sensitive), group traders"
has "paths --from an address starts at that group" "$work/out" "from: traders"
expect_rc "paths --from an address no zone holds: usage error" 2 "$netsep" paths "$cases/long-interface.nsp" --from 10.1.1.1 $asof
expect_rc "paths for a business flow (not a finding): exit 0" 0 "$netsep" paths "$b" --from traders --to oms $asof
has "a business flow is a path, not a finding" "$work/out" "[path] group traders → zone oms"
has "it says why it is no finding" "$work/out" "not a finding: traders is not an exposed source"
hasnt "a business flow gets no 'fix: remove rule'" "$work/out" "fix:"
hasnt "a business flow is not labelled LAT-001" "$work/out" "[LAT-001]"

echo "== defect 1: diff names what a change opens and closes, whatever moves in the text"
for v in saas-exception widened removed-deny zone-split reordered; do
  golden "diff-$v.txt" "$cases" "$netsep" diff base.nsp "$v.nsp" $asof
done
golden diff-saas-exception.md "$cases" "$netsep" diff base.nsp saas-exception.nsp --format markdown $asof
run "$netsep" diff "$cases/base.nsp" "$cases/saas-exception.nsp" --format json $asof
py "diff JSON: the new flow, its exception and letter, approval needed" "$work/out" \
  "o = j['opened'][0]
assert o['from'] == ['group scanners'] and o['services'] == 'tcp/443', o
r = o['newRules'][0]
assert r['kind'] == 'exception' and r['name'] == 'ai-triage' and 'FSC-NAL-2026-031' in r['detail'] and '2027-09-30' in r['detail'], r
assert j['needsApproval'] and 'adds exception ai-triage' in j['approvalReasons']
assert j['exceptions'][0]['change'] == 'added' and j['exceptions'][0]['auditNew'] == 'valid'"
# The issue's complaint: the compiled outputs differ line by line, the diff does not.
"$netsep" compile "$cases/base.nsp" -o "$work/c1" $asof 2>/dev/null
"$netsep" compile "$cases/reordered.nsp" -o "$work/c2" $asof 2>/dev/null
if ! diff -r "$work/c1" "$work/c2" >/dev/null; then ok "reordered policy: compiled text differs (comments, lines)"; else
  bad "reordered policy should change the compiled text (comment churn)"; fi
expect_rc "reordered policy: netsep diff exits 0" 0 "$netsep" diff "$cases/base.nsp" "$cases/reordered.nsp" $asof
has "reordered policy: no semantic change" "$work/out" "no semantic change"
expect_rc "diff into a crown jewel exits 4" 4 "$netsep" diff "$cases/base.nsp" "$cases/widened.nsp" $asof
expect_rc "diff adding an exception exits 4" 4 "$netsep" diff "$cases/base.nsp" "$cases/saas-exception.nsp" $asof
expect_rc "diff closing flows only exits 0" 0 "$netsep" diff "$cases/base.nsp" "$cases/zone-split.nsp" $asof
expect_rc "diff -o writes the file" 4 "$netsep" diff "$cases/base.nsp" "$cases/widened.nsp" -o "$work/d.md" --format markdown $asof
has "diff -o content" "$work/d.md" "### netsep diff"
expect_rc "diff of a broken NEW exits 1" 1 "$netsep" diff "$cases/base.nsp" "$cases/hangul.nsp" $asof
has "diff says which side is broken" "$work/err" "NEW"
expect_rc "diff with one file and no --git is a usage error" 2 "$netsep" diff "$cases/base.nsp"

# --git: the working tree against a revision, includes read from the revision.
repo=$work/repo
mkdir -p "$repo/policies"
cp "$cases/base.nsp" "$cases/services.nsp" "$repo/policies/"
git -C "$repo" init -q
git -C "$repo" -c user.name=t -c user.email=t@example.test add -A
git -C "$repo" -c user.name=t -c user.email=t@example.test commit -qm base
sed -i 's|^service https tcp/443$|service https tcp/443, tcp/8443|' "$repo/policies/services.nsp"
(cd "$repo" && "$netsep" diff --git HEAD policies/base.nsp $asof >"$work/out" 2>"$work/err"); rc=$?
if [ "$rc" = 4 ]; then ok "diff --git: an include's change opens flows into oms (exit 4)"; else bad "diff --git exit $rc"; cat "$work/err"; fi
has "diff --git reads the include at the revision" "$work/out" "+ group traders -> group oms-servers: tcp/8443"
has "diff --git labels the revision" "$work/out" "netsep diff: HEAD ("
git -C "$repo" stash -q
(cd "$repo/policies" && "$netsep" diff --git HEAD base.nsp $asof >"$work/out" 2>"$work/err"); rc=$?
if [ "$rc" = 0 ] && grep -q "no semantic change" "$work/out"; then ok "diff --git of an unchanged tree: no change"; else bad "unchanged tree: exit $rc"; cat "$work/out"; fi
expect_rc "diff --git of an unknown revision is a usage error" 2 "$netsep" diff --git nosuchrev "$repo/policies/base.nsp"
expect_rc "diff --git refuses an option-like revision" 2 "$netsep" diff --git --output=/tmp/x "$repo/policies/base.nsp"
expect_rc "diff --git outside a repository is a usage error" 2 "$netsep" diff --git HEAD "$cases/base.nsp.nope"
cp "$cases/base.nsp" "$work/outside.nsp"
expect_rc "diff --git of a file outside any repository" 2 "$netsep" diff --git HEAD "$work/outside.nsp"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
