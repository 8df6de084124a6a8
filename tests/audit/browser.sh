#!/usr/bin/env bash
# The HTML audit report in a real browser: examples/bank.nsp (every section
# filled) in English and Korean, once more with drill records, and a layout
# stress case in Korean are
# opened in headless chromium, which checks their structure and that no
# text overflows (check_browser.py). A copy of the stress report without
# its wrapping rule must fail, so the check is known to bite.
set -u
netsep=$1
here=$(cd "$(dirname "$0")" && pwd)
asof=2026-11-22
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$here/../../examples" && "$netsep" audit bank.nsp --as-of $asof --format html) >"$work/bank.html"
(cd "$here/../../examples" && "$netsep" audit bank.nsp --as-of $asof --format html --lang ko) >"$work/bank.ko.html"
(cd "$here/browser" && "$netsep" audit long-names.nsp --as-of $asof --format html --lang ko) >"$work/long-names.ko.html"
# Kill-switch drill section: sealed records (one passed, one failed for
# another policy version, one tampered) with long values, as the drill writes them.
mkdir "$work/drills"
python3 "$here/browser/make_drill_records.py" "$work/drills"
(cd "$here/../../examples" && "$netsep" audit bank.nsp --as-of $asof --format html --lang ko \
  --drill-records "$work/drills") >"$work/bank-drills.ko.html"
(cd "$here/browser" && "$netsep" audit long-names.nsp --as-of $asof --format html) |
  sed 's/^p,td,li,code,h1,h2,h3,h4{overflow-wrap:anywhere}//' >"$work/unwrapped.html"
fail=0
python3 "$here/check_browser.py" en "$work/bank.html" || fail=1
python3 "$here/check_browser.py" ko "$work/bank.ko.html" "$work/long-names.ko.html" \
  "$work/bank-drills.ko.html" || fail=1
grep -q '<h2 id="drills">' "$work/bank-drills.ko.html" || { echo "FAIL no drill section"; fail=1; }
if python3 "$here/check_browser.py" en "$work/unwrapped.html" >"$work/unwrapped.log" 2>&1; then
  echo "FAIL browser check passes a report whose long names overflow"; fail=1
elif grep -q "sticks out of the page\|content wider than its box" "$work/unwrapped.log"; then
  echo "PASS browser check catches overflowing text"
else
  echo "FAIL browser check on the unwrapped report:"; cat "$work/unwrapped.log"; fail=1
fi
exit $fail
