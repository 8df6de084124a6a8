#!/usr/bin/env bash
# Audit goldens: for every tests/audit/cases/<rule>.nsp (a policy violating
# that rule, plus a compliant one), the diagnostics of `netsep check` must equal
# <rule>.expected; the audit reports (text, json, html) of selected cases
# equal reports/<case>.<ext>, and every HTML report is well formed and
# self-contained. NETSEP_UPDATE_GOLDEN=1 rewrites the expected files.
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
  "$netsep" check "$policy" --as-of $asof >"$work/out" 2>&1
  echo "exit: $?" >>"$work/out"
  # The rule a case is named after must be reported (guards against goldens
  # that were accepted while the check was broken).
  case "$name" in
    compliant) grep -q '\[\(AIX\|ZSG\)-' "$work/out" && { echo "FAIL $name: has audit findings"; fail=$((fail + 1)); } ;;
    *) grep -q "\[$name\]" "$work/out" || { echo "FAIL $name: $name not reported"; fail=$((fail + 1)); } ;;
  esac
  compare "check $name" "$name.expected" "$work/out"
done
mkdir -p "$here/reports"
for name in compliant ZSG-001 AIX-003 W506; do
  for fmt in text json html; do
    "$netsep" audit "$name.nsp" --as-of $asof --format $fmt >"$work/report.$fmt" 2>/dev/null
    compare "audit $name $fmt" "$here/reports/$name.$fmt" "$work/report.$fmt"
  done
  if python3 "$here/check_html.py" "$work/report.html"; then echo "PASS html well-formed $name"; pass=$((pass + 1));
  else echo "FAIL html $name"; fail=$((fail + 1)); fi
done
# Exit status of `netsep audit`: 1 with errors, 0 without.
"$netsep" audit compliant.nsp --as-of $asof >/dev/null 2>&1; rc1=$?
"$netsep" audit AIX-005.nsp --as-of $asof >/dev/null 2>&1; rc2=$?
if [ "$rc1" = 0 ] && [ "$rc2" = 1 ]; then echo "PASS audit exit codes"; pass=$((pass + 1));
else echo "FAIL audit exit codes ($rc1, $rc2)"; fail=$((fail + 1)); fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
