#!/usr/bin/env bash
# I/O errors exit 2 with a clear "netsep: error:" message naming the path,
# and leave nothing behind. Tests run as root in CI, so "unwritable" means a
# path under a regular file or under /proc, not a chmod.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
bank=$src/../examples/bank.nsp
echo "not a directory" >"$work/file"

expect_rc "missing policy exits 2" 2 "$netsep" check "$work/nope.nsp" $asof
expect_msg "missing policy names the path" "^netsep: error: .*nope\.nsp: cannot open file"
expect_rc "policy under a regular file exits 2" 2 "$netsep" check "$work/file/p.nsp" $asof
expect_rc "directory as policy exits 2" 2 "$netsep" check "$work" $asof
expect_msg "directory as policy says so" "is a directory"
# A policy that never ends is read only up to the 64 MiB limit.
expect_rc "endless policy (/dev/zero) exits 2" 2 timeout 60 "$netsep" check /dev/zero $asof
expect_msg "endless policy hits the size limit" "larger than the 64 MiB limit"
expect_rc "fmt on a directory exits 2" 2 "$netsep" fmt "$work"
expect_rc "fmt on an endless file (/dev/zero) exits 2" 2 timeout 60 "$netsep" fmt --check /dev/zero
expect_msg "fmt on an endless file hits the size limit" "larger than the 64 MiB limit"
for cmd in compile audit paths fmt; do
  case $cmd in
  compile) args=(compile "$work/nope.nsp" -o "$work/o") ;;
  fmt) args=(fmt "$work/nope.nsp") ;;
  *) args=("$cmd" "$work/nope.nsp") ;;
  esac
  expect_rc "$cmd: missing policy exits 2" 2 "$netsep" "${args[@]}" $asof
done
expect_rc "killswitch: missing policy exits 2" 2 "$netsep" killswitch "$work/nope.nsp" g -o "$work/k" $asof

# Unwritable outputs.
expect_rc "compile -o under a regular file exits 2" 2 "$netsep" compile "$bank" -o "$work/file/out" $asof
expect_msg "compile -o under a file names the parent" "^netsep: error: .*file"
expect_rc "compile -o in /proc exits 2" 2 "$netsep" compile "$bank" -o /proc/netsep-security-test $asof
expect_msg "compile -o in /proc gives a reason" "^netsep: error: "
expect_rc "compile -o onto a regular file exits 2" 2 "$netsep" compile "$bank" -o "$work/file" $asof
if [ "$(cat "$work/file")" = "not a directory" ]; then ok "regular file at -o untouched"; else
  bad "regular file at -o was changed"; fi
mkdir "$work/elsewhere"
ln -s "$work/elsewhere" "$work/link"
expect_rc "compile -o onto a symlink exits 2" 2 "$netsep" compile "$bank" -o "$work/link" $asof
if [ -z "$(ls -A "$work/elsewhere")" ] && [ -L "$work/link" ]; then
  ok "symlink at -o and its target untouched"; else bad "symlink at -o was followed or replaced"; fi
expect_rc "killswitch -o under a regular file exits 2" 2 \
  "$netsep" killswitch "$bank" ai-egress -o "$work/file/ks" $asof
expect_rc "audit -o under a regular file exits 2" 2 "$netsep" audit "$bank" -o "$work/file/a.txt" $asof
expect_rc "audit -o in /proc exits 2" 2 "$netsep" audit "$bank" -o /proc/netsep-audit.txt $asof
no_temp_left "no temporary left in the work directory" "$work"
no_temp_left "no temporary left in /proc" /proc
finish
