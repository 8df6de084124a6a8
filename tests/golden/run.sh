#!/usr/bin/env bash
# Golden tests: compile every tests/golden/cases/*.nsp and examples/*.nsp for
# every backend its firewalls list, and compare the output tree byte for byte
# with tests/golden/expected/<case>/. NETSEP_UPDATE_GOLDEN=1 rewrites the expected
# trees (review them with git diff). Every nftables file is also checked
# with `nft -c -f` (quarantine files change a loaded ruleset and are
# checked on one in tests/deploy), and the compile is repeated to prove
# determinism.
set -u
netsep=$1
src=$2
as_of=2026-11-22
cases=$src/golden/cases
expected=$src/golden/expected
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
# The shipped examples are golden cases too (expected/example-<name>).
for policy in "$cases"/*.nsp "$src"/../examples/*.nsp; do
  dir=$(dirname "$policy")
  file=$(basename "$policy")
  name=$(basename "$policy" .nsp)
  case "$dir" in */examples) name=example-$name ;; esac
  # Includes are confined to the policy's directory; the shared catalogue
  # in policies/ is allowed explicitly, as a user would.
  lib=(--include-dir "$src/../policies")
  out=$work/$name
  if ! (cd "$dir" && "$netsep" compile "$file" -o "$out" --as-of $as_of "${lib[@]}") 2>"$work/$name.stderr"; then
    echo "FAIL $name: compile failed"; cat "$work/$name.stderr"; fail=$((fail + 1)); continue
  fi
  (cd "$dir" && "$netsep" compile "$file" -o "$out.again" --as-of $as_of "${lib[@]}") 2>/dev/null
  # A case may list quarantines in NAME.quarantine, one `LABEL ARGS...` a
  # line (ARGS: targets and options after the policy): each goes to
  # quarantine-LABEL/ of the output, run twice like the compile.
  q_ok=1
  if [ -f "$dir/$name.quarantine" ]; then
    while read -r label qargs; do
      case "$label" in ''|'#'*) continue ;; esac
      for o in "$out" "$out.again"; do
        # -o relative to the output: the report's commands name it.
        if ! (cd "$o" && "$netsep" quarantine "$dir/$file" $qargs -o "quarantine-$label" --as-of $as_of "${lib[@]}") >/dev/null 2>"$work/$name.q.stderr"; then
          echo "FAIL $name: quarantine $label failed"; cat "$work/$name.q.stderr"; q_ok=0
        fi
      done
    done <"$dir/$name.quarantine"
  fi
  if [ "$q_ok" = 0 ]; then fail=$((fail + 1)); continue; fi
  if ! diff -r "$out" "$out.again" >/dev/null; then
    echo "FAIL $name: two compiles differ (output is not deterministic)"; fail=$((fail + 1)); continue
  fi
  nft_ok=1
  while IFS= read -r -d '' f; do
    if command -v nft >/dev/null && ! nft -c -f "$f" 2>"$work/nft.err"; then
      echo "FAIL $name: nft -c -f rejects ${f#$out/}"; cat "$work/nft.err"; nft_ok=0
    fi
  done < <(find "$out" -name '*.nft' -not -path '*/quarantine-*' -print0)
  if [ "$nft_ok" = 0 ]; then fail=$((fail + 1)); continue; fi
  if [ "${NETSEP_UPDATE_GOLDEN:-0}" = 1 ]; then
    rm -rf "${expected:?}/$name"; mkdir -p "$expected"; cp -r "$out" "$expected/$name"
    echo "UPDATED $name"; pass=$((pass + 1)); continue
  fi
  if diff -ru "$expected/$name" "$out" >"$work/$name.diff"; then
    echo "PASS $name"; pass=$((pass + 1))
  else
    echo "FAIL $name: output differs from golden (NETSEP_UPDATE_GOLDEN=1 to accept)"
    head -60 "$work/$name.diff"; fail=$((fail + 1))
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
