#!/usr/bin/env bash
# Error-case goldens: each tests/errors/cases/<name>.nsp is checked (or, when
# its first line is `# args: ...`, run with those arguments) and its exit code
# and diagnostics must equal <name>.expected. NETSEP_UPDATE_GOLDEN=1 rewrites.
set -u
netsep=$1
src=$2
cases=$src/errors/cases
pass=0
fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for policy in "$cases"/*.nsp; do
  name=$(basename "$policy" .nsp)
  args="check $name.nsp --as-of 2026-11-22"
  first=$(head -n1 "$policy" | tr -d '\r\000')
  case "$first" in "# args: "*) args=${first#\# args: } ;; esac
  # shellcheck disable=SC2086
  (cd "$cases" && timeout 20 "$netsep" $args >"$work/out" 2>&1; echo "exit: $?" >>"$work/out")
  if [ "${NETSEP_UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$work/out" "$cases/$name.expected"; echo "UPDATED $name"; pass=$((pass + 1)); continue
  fi
  if diff -u "$cases/$name.expected" "$work/out" >"$work/diff" 2>&1; then
    echo "PASS $name"; pass=$((pass + 1))
  else
    echo "FAIL $name"; cat "$work/diff"; fail=$((fail + 1))
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
