# Shared helpers of the tests/security scripts (sourced, not run).
# Each script: NETSEP=$1 SRC=$2 (the tests/ directory); prints PASS/FAIL lines
# and exits non-zero when any check failed.
set -u
netsep=$1
src=$2
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
pass=0
fail=0
asof="--as-of 2026-11-22"
ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
# expect_rc NAME WANT CMD...: runs CMD (stdout+stderr to $work/out) and checks its exit code.
expect_rc() {
  local name=$1 want=$2; shift 2
  "$@" >"$work/cmd.log" 2>&1
  local rc=$?
  if [ "$rc" = "$want" ]; then ok "$name"; else
    bad "$name (exit $rc, want $want)"; head -c 2000 "$work/cmd.log"; echo; fi
}
# expect_msg NAME REGEX: the last command's output matches REGEX.
expect_msg() {
  if grep -Eq -- "$2" "$work/cmd.log"; then ok "$1"; else
    bad "$1 (no /$2/ in output)"; head -c 2000 "$work/cmd.log"; echo; fi
}
# no_temp_left NAME DIR: no netsep temporary file or directory remains in DIR.
no_temp_left() {
  if find "$2" -maxdepth 1 -name '.*.netsep-*' | grep -q .; then
    bad "$1 (temporary left behind)"; find "$2" -maxdepth 1 -name '.*.netsep-*'; else ok "$1"; fi
}
finish() {
  echo "$pass passed, $fail failed"
  [ "$fail" = 0 ]
}
