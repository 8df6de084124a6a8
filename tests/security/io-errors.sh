#!/usr/bin/env bash
# I/O errors exit 2 with a clear "netsep: error:" message naming the path,
# and leave nothing behind. Tests run as root in CI, so "unwritable" means a
# path under a regular file or under /proc, not a chmod.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
bank=$src/../examples/bank.nsp
echo "not a directory" >"$work/file"

# A mistyped command says so and suggests the nearest.
expect_rc "unknown command exits 2" 2 "$netsep" chek "$work/nope.nsp"
expect_msg "unknown command is named, the nearest suggested" "^netsep: error: unknown command 'chek'; did you mean 'check'\? \(commands: check, "
expect_rc "missing policy exits 2" 2 "$netsep" check "$work/nope.nsp" $asof
expect_msg "missing policy names the path" "^netsep: error: .*nope\.nsp: cannot open file"
expect_rc "policy under a regular file exits 2" 2 "$netsep" check "$work/file/p.nsp" $asof
expect_rc "directory as policy exits 2" 2 "$netsep" check "$work" $asof
expect_msg "directory as policy says so" "is a directory"
# A device is not a policy (never opened: a device may act when opened);
# a pipe that never ends is read only up to the 64 MiB limit.
expect_rc "device as policy (/dev/zero) exits 2" 2 timeout 60 "$netsep" check /dev/zero $asof
expect_msg "device as policy is refused" "/dev/zero: is a character device, not a policy file"
expect_rc "endless pipe as policy exits 2" 2 timeout 60 sh -c "head -c 70M /dev/zero | '$netsep' check /dev/stdin $asof"
expect_msg "endless pipe hits the size limit" "/dev/stdin: file is larger than the 64 MiB limit"
expect_rc "fmt on a directory exits 2" 2 "$netsep" fmt "$work"
expect_rc "fmt on a device (/dev/zero) exits 2" 2 timeout 60 "$netsep" fmt --check /dev/zero
expect_msg "fmt on a device is refused" "is a character device"
for cmd in compile audit paths fmt; do
  case $cmd in
  compile) args=(compile "$work/nope.nsp" -o "$work/o") ;;
  fmt) args=(fmt "$work/nope.nsp") ;;
  *) args=("$cmd" "$work/nope.nsp") ;;
  esac
  expect_rc "$cmd: missing policy exits 2" 2 "$netsep" "${args[@]}" $asof
done
expect_rc "killswitch: missing policy exits 2" 2 "$netsep" killswitch "$work/nope.nsp" g -o "$work/k" $asof

# Every command reads a policy the same way: directory check, size limit,
# read errors (exit 2) and the UTF-8 check (E103, exit 1).
printf 'zone a { kind dmz networks 10.0.0.0/8 }\n# \xff\xfe\n' >"$work/bad-utf8.nsp"
truncate -s 65M "$work/huge.nsp" # a regular file just over the limit (sparse)
for cmd in check compile audit paths killswitch fmt; do
  for input in "$work" /dev/zero "$work/huge.nsp" /proc/self/mem "$work/bad-utf8.nsp"; do
    case $cmd in
    compile) args=(compile "$input" -o "$work/o" $asof) ;;
    killswitch) args=(killswitch "$input" g -o "$work/k" $asof) ;;
    fmt) args=(fmt --check "$input") ;;
    *) args=("$cmd" "$input" $asof) ;;
    esac
    case $input in
    "$work") want=2 msg="^netsep: error: $work: is a directory" ;;
    /proc/self/mem) want=2 msg="^netsep: error: /proc/self/mem: read error" ;;
    /dev/zero) want=2 msg="^netsep: error: /dev/zero: is a character device, not a policy file" ;;
    *bad-utf8.nsp) want=1 msg="error\[E103\]: file is not valid UTF-8" ;;
    *) want=2 msg="^netsep: error: $input: file is larger than the 64 MiB limit" ;;
    esac
    expect_rc "$cmd $(basename "$input"): exits $want" $want timeout 60 "$netsep" "${args[@]}"
    expect_msg "$cmd $(basename "$input"): says why" "$msg"
  done
done
if [ -e "$work/o" ] || [ -e "$work/k" ]; then bad "a refused policy created an output"; else
  ok "refused policies create no output"; fi
# The same reads for an include are located policy errors (E102, exit 1)
# (/dev and /proc allowed as include roots, so the reads themselves are tried).
for target in /dev/zero "$work/huge.nsp" /proc/self/mem "$work"; do
  printf 'include "%s"\n' "$target" >"$work/inc.nsp"
  case $target in
  /dev/zero) why="is a character device; only regular files can be included" ;;
  /proc/self/mem) why="read error" ;;
  "$work") why="is a directory" ;;
  *) why="larger than the 64 MiB limit" ;;
  esac
  expect_rc "include $(basename "$target"): exits 1" 1 timeout 60 "$netsep" check "$work/inc.nsp" $asof \
    --include-dir /dev --include-dir /proc
  expect_msg "include $(basename "$target"): E102 at the include" "inc\.nsp:1:9: error\[E102\]: cannot include '[^']*': $why"
done

# Unreadable (permission denied) policy and include. Root reads anything, so
# as root the check runs as nobody (setpriv).
mkdir -p "$work/perm"
printf 'zone a { kind dmz networks 10.0.0.0/8 }\n' >"$work/perm/secret.nsp"
printf 'include "secret.nsp"\n' >"$work/perm/top.nsp"
chmod 000 "$work/perm/secret.nsp"
asuser=()
if [ "$(id -u)" = 0 ]; then
  chmod 755 "$work/perm" && chmod 711 "$work" && chmod 644 "$work/perm/top.nsp"
  if command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
    asuser=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  else asuser=(skip); fi
fi
if [ "${asuser[0]:-}" = skip ] || ! "${asuser[@]}" test -x "$netsep"; then
  echo "SKIP unreadable policy (cannot drop root or run $netsep as nobody)"
else
  expect_rc "unreadable policy exits 2" 2 "${asuser[@]}" "$netsep" check "$work/perm/secret.nsp" $asof
  expect_msg "unreadable policy names the path" "^netsep: error: .*secret\.nsp: cannot open file"
  expect_rc "unreadable include exits 1" 1 "${asuser[@]}" "$netsep" check "$work/perm/top.nsp" $asof
  expect_msg "unreadable include is E102" "top\.nsp:1:9: error\[E102\]: cannot include 'secret\.nsp'"
fi
chmod 700 "$work"

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
expect_rc "killswitch -o in /proc exits 2" 2 "$netsep" killswitch "$bank" ai-egress -o /proc/netsep-ks $asof
expect_msg "killswitch -o in /proc gives a reason" "^netsep: error: "
expect_rc "audit -o in /proc exits 2" 2 "$netsep" audit "$bank" -o /proc/netsep-audit.txt $asof
no_temp_left "no temporary left in the work directory" "$work"
no_temp_left "no temporary left in /proc" /proc
finish
