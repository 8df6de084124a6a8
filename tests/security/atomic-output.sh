#!/usr/bin/env bash
# Atomic, safe output beyond tests/cli/run.sh (which covers a failed compile,
# stale files and planted symlinks for `compile`): a write that fails half way
# (file size limit: EFBIG), kill-switch and audit outputs, fmt, and
# concurrent compiles into one directory.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
bank=$src/../examples/bank.nsp
# Runs a command whose writes fail after 1 KiB (SIGXFSZ ignored, so write()
# returns EFBIG instead of killing the process). Its messages go through a
# pipe, which the limit does not cut (a policy's notes can exceed 1 KiB).
small_fs() { (trap '' XFSZ; ulimit -f 1; exec "$@") 2>&1 | cat; return "${PIPESTATUS[0]}"; }

# compile: a failed write keeps the previous output byte for byte.
"$netsep" compile "$bank" -o "$work/out" $asof 2>/dev/null
cp -a "$work/out" "$work/out.before"
expect_rc "compile with a failing write exits 2" 2 small_fs "$netsep" compile "$bank" -o "$work/out" $asof
expect_msg "failing write is reported with its reason" "^netsep: error: .*(too large|File too large)"
if diff -r "$work/out" "$work/out.before" >/dev/null; then ok "failing write leaves the previous output identical"; else
  bad "failing write changed the previous output"; fi
expect_rc "first compile with a failing write exits 2" 2 small_fs "$netsep" compile "$bank" -o "$work/new" $asof
if [ ! -e "$work/new" ]; then ok "failing first compile creates no output directory"; else
  bad "failing first compile left a partial directory"; fi
no_temp_left "failing writes leave no temporary directory" "$work"

# killswitch: same directory discipline as compile.
expect_rc "killswitch exits 0" 0 "$netsep" killswitch "$bank" ai-egress -o "$work/ks" $asof
cp -a "$work/ks" "$work/ks.before"
expect_rc "killswitch of an unknown group exits 1" 1 "$netsep" killswitch "$bank" nope -o "$work/ks" $asof
if diff -r "$work/ks" "$work/ks.before" >/dev/null; then ok "failed killswitch leaves the output identical"; else
  bad "failed killswitch changed the output"; fi
expect_rc "killswitch with a failing write exits 2" 2 small_fs "$netsep" killswitch "$bank" ai-egress -o "$work/ks" $asof
if diff -r "$work/ks" "$work/ks.before" >/dev/null; then ok "failing killswitch write leaves the output identical"; else
  bad "failing killswitch write changed the output"; fi
echo secret >"$work/victim"
first=$(cd "$work/ks" && find . -type f ! -name '.*' | head -n1)
rm -f "$work/ks/$first" && ln -s "$work/victim" "$work/ks/$first"
expect_rc "killswitch over a planted symlink exits 0" 0 "$netsep" killswitch "$bank" ai-egress -o "$work/ks" $asof
if [ "$(cat "$work/victim")" = secret ] && [ ! -L "$work/ks/$first" ]; then
  ok "killswitch never writes through a planted symlink"; else bad "killswitch followed a planted symlink"; fi

# killswitch -o: a symlink at the path and a foreign directory are refused.
mkdir "$work/ks-elsewhere"
ln -s "$work/ks-elsewhere" "$work/ks-link"
expect_rc "killswitch -o onto a symlink exits 2" 2 "$netsep" killswitch "$bank" ai-egress -o "$work/ks-link" $asof
if [ -L "$work/ks-link" ] && [ -z "$(ls -A "$work/ks-elsewhere")" ]; then
  ok "killswitch leaves a symlink at -o and its target untouched"; else bad "killswitch followed or replaced a symlink at -o"; fi
mkdir "$work/ks-mine" && echo keep >"$work/ks-mine/notes.txt"
expect_rc "killswitch refuses a foreign directory (exit 2)" 2 "$netsep" killswitch "$bank" ai-egress -o "$work/ks-mine" $asof
if [ "$(ls -A "$work/ks-mine")" = notes.txt ] && [ "$(cat "$work/ks-mine/notes.txt")" = keep ]; then
  ok "foreign directory untouched by killswitch"; else bad "killswitch changed a foreign directory"; fi

# Policy errors: the previous output stays and no temporary is left.
printf 'zone a { kind dmz networks 10.99.0.0/24 }\naccess x { from a to nowhere service tcp/1 }\n' >"$work/broken.nsp"
expect_rc "compile with policy errors exits 1" 1 "$netsep" compile "$work/broken.nsp" -o "$work/out" $asof
expect_rc "compile with policy errors into a new directory exits 1" 1 "$netsep" compile "$work/broken.nsp" -o "$work/new2" $asof
if diff -r "$work/out" "$work/out.before" >/dev/null && [ ! -e "$work/new2" ]; then
  ok "policy errors leave the output as it was"; else bad "policy errors changed or created an output"; fi
no_temp_left "policy errors leave no temporary" "$work"

# audit -o FILE: written by rename, so a symlink at FILE is replaced, never followed.
expect_rc "audit -o exits 0" 0 "$netsep" audit "$bank" -o "$work/audit.txt" $asof
cp "$work/audit.txt" "$work/audit.before"
expect_rc "audit with a failing write exits 2" 2 small_fs "$netsep" audit "$bank" --format html -o "$work/audit.txt" $asof
if cmp -s "$work/audit.txt" "$work/audit.before"; then ok "failing audit write leaves the report identical"; else
  bad "failing audit write changed the report"; fi
ln -s "$work/victim" "$work/audit-link.txt"
expect_rc "audit -o onto a symlink exits 0" 0 "$netsep" audit "$bank" -o "$work/audit-link.txt" $asof
if [ "$(cat "$work/victim")" = secret ]; then ok "audit never writes through a symlink"; else
  bad "audit wrote through a symlink"; fi

# fmt: rewrites by rename; a failing write keeps the original.
for i in $(seq 1 100); do printf 'zone   z%d { kind dmz networks 10.99.%d.0/24 }\n' "$i" "$i"; done >"$work/ugly.nsp"
cp "$work/ugly.nsp" "$work/ugly.before"
expect_rc "fmt with a failing write exits 2" 2 small_fs "$netsep" fmt "$work/ugly.nsp"
if cmp -s "$work/ugly.nsp" "$work/ugly.before"; then ok "failing fmt write leaves the policy identical"; else
  bad "failing fmt write changed the policy"; fi
no_temp_left "fmt leaves no temporary file" "$work"

# fmt on a symlink: the link is replaced by the formatted file, its target
# is never written.
cp "$work/ugly.before" "$work/fmt-target.nsp"
ln -s "$work/fmt-target.nsp" "$work/fmt-link.nsp"
expect_rc "fmt on a symlink exits 0" 0 "$netsep" fmt "$work/fmt-link.nsp"
if cmp -s "$work/fmt-target.nsp" "$work/ugly.before" && [ ! -L "$work/fmt-link.nsp" ] &&
  "$netsep" fmt --check "$work/fmt-link.nsp" >/dev/null 2>&1; then
  ok "fmt replaces a symlink, never writes through it"; else bad "fmt wrote through a symlink"; fi

# Concurrent compiles into one directory: whatever wins, the result is one
# complete output, never a mix or a partial tree.
"$netsep" compile "$bank" -o "$work/ref" $asof 2>/dev/null
pids=()
for i in 1 2 3 4; do "$netsep" compile "$bank" -o "$work/race" $asof >/dev/null 2>&1 & pids+=($!); done
codes=""
for p in "${pids[@]}"; do wait "$p"; codes="$codes $?"; done
case " $codes " in *" 0 "*) ok "a concurrent compile succeeded ($codes)" ;; *) bad "no concurrent compile succeeded ($codes)" ;; esac
case "$codes" in *[13456789]*) bad "a concurrent compile failed other than with exit 2 ($codes)" ;; *) ok "concurrent compiles exit 0 or 2" ;; esac
if diff -r "$work/race" "$work/ref" >/dev/null; then ok "concurrent compiles leave one complete output"; else
  bad "concurrent compiles left a mixed output"; fi
no_temp_left "concurrent compiles leave no temporary" "$work"

# A compile killed outright (SIGKILL, at points spread over its run) leaves
# the previous output or the complete new one, never a mix; its hidden
# temporary may stay. 200 firewalls, all six backends: 1,400 files.
python3 - "$work/many.nsp" <<'PY'
import sys
n = 200
out = ["service https tcp/443", "service ssh tcp/22"]
out += [f"zone z{i} {{ kind internal level sensitive networks 10.{i // 256}.{i % 256}.0/24 }}" for i in range(n)]
out += [f'access r{i} {{ from z{i} to z{(i + 1) % n} service https, ssh, tcp/{1000 + i} log justification "j" owner "o" }}'
        for i in range(n)]
out += [f"firewall fw{i} {{ backend nftables, iptables, cisco-asa, juniper-srx, paloalto, fortios "
        f"interface eth0 zone z{i} on juniper-srx ge-0/0/0.0, paloalto ethernet1/1 "
        f"interface eth1 zone z{(i + 1) % n} on juniper-srx ge-0/0/1.0, paloalto ethernet1/2 }}"
        for i in range(n)]
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY
mkdir "$work/kill"
start=$(date +%s%N)
"$netsep" compile "$work/many.nsp" -o "$work/kill/many.ref" $asof 2>/dev/null
ms=$((($(date +%s%N) - start) / 1000000))
mixed=0 hit=0
for pct in 2 5 10 20 30 40 50 60 70 80 90 95; do
  for target in old new; do
    rm -rf "$work/kill/out" "$work/kill"/.out.netsep-*
    [ "$target" = old ] && cp -a "$work/out.before" "$work/kill/out"
    "$netsep" compile "$work/many.nsp" -o "$work/kill/out" $asof >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v ms="$ms" -v p="$pct" 'BEGIN { printf "%.3f", ms * p / 100000 }')"
    kill -9 "$pid" 2>/dev/null && hit=$((hit + 1))
    wait "$pid" 2>/dev/null
    if [ ! -e "$work/kill/out" ] && [ "$target" = new ]; then continue; fi
    if diff -r "$work/kill/out" "$work/out.before" >/dev/null 2>&1 ||
      diff -r "$work/kill/out" "$work/kill/many.ref" >/dev/null 2>&1; then continue; fi
    mixed=$((mixed + 1)); echo "killed at ${pct}% of ${ms} ms ($target output): partial output"
  done
done
if [ "$mixed" = 0 ]; then ok "killed compiles leave the old or the complete new output ($hit of 24 killed mid-run)"; else
  bad "$mixed killed compiles left a partial output"; fi
finish
