#!/usr/bin/env bash
# Golden tests of the analysis outputs through the CLI:
#   tests/golden/analysis/run.sh path/to/netsep
# For every tests/golden/analysis/*.nsp (and examples/bank.nsp) it runs
# `check` (text, json, sarif) and `paths` (text, json, dot) and compares
# stdout+stderr and the exit code with expected/<case>.<command>.<ext>.
# NETSEP_UPDATE_GOLDEN=1 rewrites the expected files (review with git diff).
# JSON and SARIF must parse, DOT must render when Graphviz is installed, and
# every command is run twice to prove the output is deterministic.
set -u
netsep=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
expected=$here/expected
as_of=2026-11-22
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$expected"
pass=0
fail=0

# run NAME DIR ARGS... : one command, captured as "<stdout+stderr>\nexit: N".
run() {
  local name=$1 dir=$2
  shift 2
  local out=$work/$name
  (cd "$dir" && "$netsep" "$@" >"$out.stdout" 2>"$out.stderr"; echo "exit: $?" >"$out.rc")
  (cd "$dir" && "$netsep" "$@" >"$out.again" 2>&1)
  if ! cat "$out.stdout" "$out.stderr" | cmp -s - "$out.again"; then
    echo "FAIL $name: two runs differ (output is not deterministic)"; fail=$((fail + 1)); return
  fi
  case "$name" in
    *.json | *.sarif)
      if ! python3 -m json.tool "$out.stdout" >/dev/null 2>"$work/json.err"; then
        echo "FAIL $name: not valid JSON"; cat "$work/json.err"; fail=$((fail + 1)); return
      fi ;;
    *.dot)
      if command -v dot >/dev/null && ! dot -Tsvg "$out.stdout" >/dev/null 2>"$work/dot.err"; then
        echo "FAIL $name: Graphviz rejects it"; cat "$work/dot.err"; fail=$((fail + 1)); return
      fi ;;
  esac
  cat "$out.stdout" "$out.stderr" "$out.rc" >"$out"
  if [ "${NETSEP_UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$out" "$expected/$name"; echo "UPDATED $name"; pass=$((pass + 1)); return
  fi
  if diff -u "$expected/$name" "$out" >"$work/diff"; then
    echo "PASS $name"; pass=$((pass + 1))
  else
    echo "FAIL $name: differs from golden (NETSEP_UPDATE_GOLDEN=1 to accept)"
    head -60 "$work/diff"; fail=$((fail + 1))
  fi
}

cases() {
  local dir=$1 file=$2 name=$3
  run "$name.check.txt" "$dir" check "$file" --as-of $as_of
  run "$name.check.json" "$dir" check "$file" --as-of $as_of --format json
  run "$name.check.sarif" "$dir" check "$file" --as-of $as_of --format sarif
  run "$name.paths.txt" "$dir" paths "$file" --as-of $as_of
  run "$name.paths.json" "$dir" paths "$file" --as-of $as_of --format json
  run "$name.paths.dot" "$dir" paths "$file" --as-of $as_of --format dot
}

for policy in "$here"/*.nsp; do
  cases "$here" "$(basename "$policy")" "$(basename "$policy" .nsp)"
done
cases "$here/../../../examples" bank.nsp example-bank

# The teaching example (docs/reference.md) after its waiver expired, and a filtered query.
run spec-example.2027-02-01.check.txt "$here" check spec-example.nsp --as-of 2027-02-01
run spec-example.from-to.paths.txt "$here" paths spec-example.nsp --as-of 2027-02-01 \
  --from internet --to core -k 2
run spec-example.unknown.paths.txt "$here" paths spec-example.nsp --as-of $as_of --from nowhere

echo "$pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
