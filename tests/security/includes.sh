#!/usr/bin/env bash
# Includes and policy files on a hostile file system (docs/security.md §2, §4):
# FIFOs and devices never block or get read, every file-system failure is a
# located E102 (exit 1) for an include and exit 2 for the top-level file,
# includes stay inside the policy's directory and --include-dir roots, a file
# that is not a policy is never quoted, and the limits hold per run (bytes,
# include statements; failed reads remembered, hard links read once). A
# top-level policy may be a pipe.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
bank=$src/../examples/bank.nsp
d=$work/p
mkdir -p "$d/lib" "$work/outside"
printf 'service https tcp/443\n' >"$d/lib/common.nsp"
cd "$d" || exit 1

# check NAME WANT REGEX TEXT...: writes top.nsp from TEXT, checks it within
# 20 s (a hang is a failure), and matches the output against REGEX.
check() {
  local name=$1 want=$2 regex=$3; shift 3
  printf '%s\n' "$@" >top.nsp
  expect_rc "$name: exits $want" "$want" timeout 20 "$netsep" check top.nsp $asof
  [ -n "$regex" ] && expect_msg "$name: says why" "$regex"
}
no_exit3() { # the last run printed no internal error
  if grep -q "internal error" "$work/cmd.log"; then bad "$1 (internal error)"; else ok "$1: no internal error"; fi
}

# 1. A FIFO or an open stream never blocks an include: refused before opening.
mkfifo fifo
check "include of a FIFO" 1 "top\.nsp:1:9: error\[E102\]: cannot include 'fifo': is a FIFO; only regular files can be included" 'include "fifo"'
printf 'include "/dev/stdin"\n' >top.nsp
exec 3< <(exec sleep 30) # stdin: a pipe whose writer stays open
sleeper=$!
expect_rc "include /dev/stdin (an open pipe) exits 1" 1 \
  timeout 20 "$netsep" check top.nsp $asof --include-dir /dev <&3
exec 3<&-
kill "$sleeper" 2>/dev/null
expect_msg "include /dev/stdin: E102" "error\[E102\]: cannot include '/dev/stdin'"
for dev in /dev/zero /dev/null /dev/urandom /dev/tty; do
  check "include $dev" 1 "error\[E102\]: cannot include '$dev': it lies outside" "include \"$dev\""
done
printf 'include "/dev/zero"\ninclude "/dev/tty"\n' >top.nsp
expect_rc "devices allowed as a root are still refused" 1 timeout 20 "$netsep" check top.nsp $asof --include-dir /dev
expect_msg "a device is not read: character device" "cannot include '/dev/zero': is a character device; only regular files"

# 2. File-system failures are E102 at the include, never an internal error.
ln -s self self
check "include of a symlink to itself" 1 "cannot include 'self': Too many levels of symbolic links" 'include "self"'
no_exit3 "symlink loop"
long=$(printf 'a%.0s' $(seq 300))
check "include name of 300 characters" 1 "cannot include 'a+\.\.\.'?: File name too long|cannot include 'a+': File name too long" "include \"$long\""
no_exit3 "long include name"
check "include of a directory" 1 "cannot include 'lib': is a directory" 'include "lib"'
printf 'include "lib/common.nsp\000"\n' >top.nsp
expect_rc "include with a NUL byte: exits 1" 1 timeout 20 "$netsep" check top.nsp $asof
expect_msg "include with a NUL byte: says why" "cannot include '[^']*': the path contains a NUL byte"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  mkdir -p locked && printf 'service x tcp/1\n' >locked/x.nsp && chmod 000 locked
  printf 'include "locked/x.nsp"\n' >top.nsp
  chmod 755 "$work" "$d" && chmod 644 top.nsp
  expect_rc "include under an unsearchable directory exits 1" 1 \
    setpriv --reuid=65534 --regid=65534 --clear-groups timeout 20 "$netsep" check "$d/top.nsp" $asof
  expect_msg "unsearchable directory: E102 Permission denied" "cannot include 'locked/x.nsp': Permission denied"
  chmod 700 locked "$work"
else echo "SKIP unsearchable directory (not root)"; fi

# 3. A name carrying terminal escapes reaches no terminal raw, on any path
# (the 300-character name used to end in the internal-error path).
esc=$'\e]0;pwned\a\e[31m'
check "include name with OSC/ESC/BEL" 1 "" "include \"$esc$long\"" "include \"$esc\""
no_exit3 "escape sequences"
if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$work/cmd.log"; then bad "escape sequences reached the output raw"; else
  ok "escape sequences in include names are cleaned"; fi

# 4. Confinement: the policy's directory and --include-dir only; nothing of
# a file that is not a policy is quoted.
secret=NETSEP_TEST_SECRET_$$
printf 'include "/proc/self/environ"\n' >top.nsp
NETSEP_SECRET=$secret expect_rc "include /proc/self/environ exits 1" 1 timeout 20 "$netsep" check top.nsp $asof
expect_msg "/proc/self/environ is outside the roots" "cannot include '/proc/self/environ': it lies outside the policy's directory"
NETSEP_SECRET=$secret expect_rc "include /proc/self/environ under --include-dir /proc exits 1" 1 \
  timeout 20 "$netsep" check top.nsp $asof --include-dir /proc
expect_msg "environ is not a policy" "cannot include '/proc/self/environ': it is not a netsep policy"
if grep -q "$secret" "$work/cmd.log"; then bad "the environment was quoted"; else ok "the environment is never quoted"; fi
check "include ../../../../etc/passwd" 1 "cannot include '\.\./\.\./\.\./\.\./etc/passwd': it lies outside" 'include "../../../../etc/passwd"'
check "include /etc/shadow" 1 "cannot include '/etc/shadow': it lies outside" 'include "/etc/shadow"'
ln -s /etc/passwd passwd-link
check "include of a symlink leaving the tree" 1 "cannot include 'passwd-link': it lies outside .*symbolic link" 'include "passwd-link"'
if grep -q "root:" "$work/cmd.log"; then bad "/etc/passwd was quoted"; else ok "/etc/passwd is never quoted"; fi
check "include /etc/nonexistent (no probing)" 1 "cannot include '/etc/netsep-nonexistent': it lies outside" 'include "/etc/netsep-nonexistent"'
printf '# registry\n//registry.example/:_authToken=%s\n' "$secret" >.npmrc
check "include of a credentials file in the tree" 1 "cannot include '\.npmrc': it is not a netsep policy \(a syntax error at \.npmrc:2:1 before its first statement\)" 'include ".npmrc"'
if grep -q "$secret" "$work/cmd.log"; then bad "a credentials file was quoted"; else ok "a credentials file is never quoted"; fi
printf '\x00\x01\xffkey %s' "$secret" >key.bin
check "include of a binary file" 1 "cannot include 'key\.bin': it is not a netsep policy \(not UTF-8 text" 'include "key.bin"'
if grep -q "$secret" "$work/cmd.log"; then bad "a binary file was quoted"; else ok "a binary file is never quoted"; fi
check "include inside the tree (relative, nested, absolute)" 0 "" 'include "lib/common.nsp"' "include \"$d/lib/common.nsp\""
printf 'service shared-x tcp/9\n' >"$work/outside/shared.nsp"
check "a sibling directory needs --include-dir" 1 "cannot include '\.\./outside/shared\.nsp': it lies outside" 'include "../outside/shared.nsp"'
expect_rc "with --include-dir the sibling is allowed" 0 timeout 20 "$netsep" check top.nsp $asof --include-dir ../outside
expect_rc "a missing --include-dir exits 2" 2 timeout 20 "$netsep" check top.nsp $asof --include-dir "$work/nope"
expect_msg "a missing --include-dir says so" "^netsep: error: --include-dir .*nope: No such file or directory"

# 5. Limits per run, whatever the files: devices refused before reading,
# failed reads remembered, hard links read once, one byte budget and one
# include count for all files.
for _ in $(seq 40); do echo 'include "/dev/zero"'; done >top.nsp
start=$(date +%s%N)
expect_rc "40 includes of /dev/zero exit 1" 1 timeout 20 "$netsep" check top.nsp $asof --include-dir /dev
ms=$((($(date +%s%N) - start) / 1000000))
if [ "$ms" -lt 5000 ]; then ok "40 includes of /dev/zero take ${ms} ms (nothing read)"; else
  bad "40 includes of /dev/zero took ${ms} ms"; fi
python3 - "$d" <<'PY'
import os, sys
d = sys.argv[1]
body = "".join(f"# comment line {i} " + "x" * 60 + "\n" for i in range(30000))  # ~2.3 MB
os.makedirs(f"{d}/big", exist_ok=True)
open(f"{d}/big/one.nsp", "w").write(body + "service once tcp/1\n")
for i in range(30):
    os.link(f"{d}/big/one.nsp", f"{d}/big/link{i}.nsp")
    open(f"{d}/big/copy{i}.nsp", "w").write(body)
open(f"{d}/links1.nsp", "w").write('include "big/one.nsp"\n')
open(f"{d}/links30.nsp", "w").write("".join(f'include "big/link{i}.nsp"\n' for i in range(30)))
open(f"{d}/copies30.nsp", "w").write("".join(f'include "big/copy{i}.nsp"\n' for i in range(30)))
open(f"{d}/many-includes.nsp", "w").write("".join(f'include "none/{i}.nsp"\n' for i in range(12000)))
PY
peak_kb() { python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$netsep" check "$@" $asof; }
one=$(peak_kb links1.nsp)
thirty=$(peak_kb links30.nsp)
if [ "$thirty" -le $((one + 20000)) ]; then ok "30 hard links to one file are read once ($thirty KiB vs $one KiB)"; else
  bad "30 hard links to one file cost $thirty KiB vs $one KiB for one"; fi
expect_rc "30 hard links: exits 0" 0 timeout 20 "$netsep" check links30.nsp $asof
expect_rc "70 MB over 30 files exits 1" 1 timeout 20 "$netsep" check copies30.nsp $asof
expect_msg "the byte limit holds for all files together" "cannot include 'big/copy2[0-9]\.nsp': larger than the 64 MiB limit \(for all of a policy's files together\)"
expect_rc "12,000 include statements exit 1" 1 timeout 20 "$netsep" check many-includes.nsp $asof
expect_msg "include statements are limited per run" "the policy has more than 10000 include statements; the rest are not followed"
n=$(grep -c 'error\[E102\]' "$work/cmd.log")
if [ "$n" = 10001 ]; then ok "no more than 10,001 include diagnostics"; else bad "$n include diagnostics (want 10,001)"; fi

# The top-level policy: a pipe is read once (includes against the current
# directory); a device is refused; every failure is exit 2, never exit 3.
printf 'include "lib/common.nsp"\nzone a { kind dmz networks 10.99.0.0/24 }\n' >piped.nsp
expect_rc "policy from a pipe (/dev/stdin)" 0 timeout 20 sh -c "cat piped.nsp | '$netsep' check /dev/stdin $asof"
expect_rc "policy from process substitution" 0 timeout 20 bash -c "'$netsep' check <(cat '$bank') $asof"
expect_rc "policy from a redirected file" 0 timeout 20 sh -c "'$netsep' check /dev/stdin $asof < piped.nsp"
mkfifo top-fifo
(cat "$bank" >top-fifo &)
expect_rc "policy from a named FIFO with a writer" 0 timeout 20 "$netsep" check top-fifo $asof
expect_rc "policy from a character device exits 2" 2 timeout 20 sh -c "'$netsep' check /dev/stdin $asof </dev/null"
expect_msg "a device policy says what it is" "^netsep: error: /dev/stdin: is a character device, not a policy file"
no_exit3 "top-level /dev/stdin"
expect_rc "top-level symlink loop exits 2" 2 timeout 20 "$netsep" check self $asof
expect_msg "top-level symlink loop says why" "^netsep: error: self: cannot open file: Too many levels of symbolic links"
expect_rc "top-level name of 300 characters exits 2" 2 timeout 20 "$netsep" check "$long" $asof
expect_msg "top-level long name says why" "File name too long"
finish
