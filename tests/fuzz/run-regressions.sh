#!/usr/bin/env bash
# Every input the fuzzer ever crashed on (tests/fuzz/regressions/*.nsp), run
# through the normal netsep binary: check, compile, audit, paths, fmt and
# killswitch (each group the file names) must
# each end with exit 0 or 1 (never 2 for these self-contained files, never 3
# or a signal) within 60 s.
set -u
netsep=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
n=0
for policy in "$src"/fuzz/regressions/*.nsp; do
  [ -f "$policy" ] || continue
  n=$((n + 1))
  name=$(basename "$policy")
  cp "$policy" "$work/input.nsp"
  # killswitch for every group the file names (or one it does not).
  groups=$(grep -aoE 'kill-switch +[A-Za-z0-9_:*][A-Za-z0-9_.:/*-]*' "$policy" | awk '{print $2}' | sort -u)
  for cmd in check compile audit paths fmt killswitch:${groups:-none}; do
    case $cmd in
    killswitch:*)
      for g in ${cmd#killswitch:}; do
        timeout 60 "$netsep" killswitch "$work/input.nsp" "$g" -o "$work/ks" --as-of 2026-11-22 \
          >/dev/null 2>"$work/err"
        rc=$?
        if [ "$rc" = 0 ] || [ "$rc" = 1 ]; then pass=$((pass + 1)); else
          echo "FAIL $name: netsep killswitch $g exited $rc"; head -c 2000 "$work/err"; echo
          fail=$((fail + 1)); fi
      done
      continue ;;
    compile) args=(compile "$work/input.nsp" -o "$work/out" --as-of 2026-11-22) ;;
    audit) args=(audit "$work/input.nsp" --format html --as-of 2026-11-22) ;;
    fmt) args=(fmt --check "$work/input.nsp") ;;
    *) args=("$cmd" "$work/input.nsp" --as-of 2026-11-22) ;;
    esac
    timeout 60 "$netsep" "${args[@]}" >/dev/null 2>"$work/err"
    rc=$?
    if [ "$rc" = 0 ] || [ "$rc" = 1 ]; then pass=$((pass + 1)); else
      echo "FAIL $name: netsep $cmd exited $rc"; head -c 2000 "$work/err"; echo; fail=$((fail + 1)); fi
  done
  rm -rf "$work/out" "$work/ks"
done
echo "$n inputs: $pass runs passed, $fail failed"
[ "$fail" = 0 ]
