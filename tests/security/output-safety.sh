#!/usr/bin/env bash
# Outputs in hostile surroundings (docs/security.md §3): a device, FIFO or
# /dev stream at the output path is written through or refused, never
# replaced (even as root); fmt keeps a file's owner, group and mode;
# SIGINT/SIGTERM/SIGHUP remove the temporaries; a temporary left by a killed
# run is removed by the next one (a live run's is not); one writer per
# output: a second one exits 2 without writing.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
bank=$src/../examples/bank.nsp
cd "$work" || exit 1
is_root() { [ "$(id -u)" = 0 ]; }

# 7. Device nodes and streams at the output path. Device nodes are made in
# the work directory; /dev itself is only touched in a private mount
# namespace with its own /dev (a netsep that replaced /dev/null would
# otherwise break the machine the test runs on).
if is_root; then
  mknod -m 666 null c 1 3
  expect_rc "audit -o onto a character device exits 0" 0 "$netsep" audit "$bank" -o "$work/null" $asof
  if [ -c null ]; then ok "a character device at -o stays a device"; else bad "a character device at -o was replaced"; fi
else echo "SKIP device node (not root)"; fi
mkfifo report.fifo
cat report.fifo >fifo.out 2>/dev/null </dev/null &
reader=$!
expect_rc "audit -o onto a FIFO exits 0" 0 timeout 20 "$netsep" audit "$bank" -o report.fifo $asof
sleep 0.2
kill "$reader" 2>/dev/null # only left waiting when the FIFO was replaced
if [ -p report.fifo ] && grep -q "hanbit" fifo.out 2>/dev/null || grep -qi "audit" fifo.out; then
  ok "a FIFO at -o is written through and stays a FIFO"; else bad "a FIFO at -o was replaced or not written"; fi
mkdir adir
expect_rc "audit -o onto a directory exits 2" 2 "$netsep" audit "$bank" -o adir $asof
if is_root && command -v unshare >/dev/null && unshare --mount true 2>/dev/null; then
  # In the namespace: a tmpfs /dev with null, stdout, stdin as on a real system.
  cat >ns.sh <<'SH'
set -u
netsep=$1 bank=$2 work=$3 asof=$4
mount -t tmpfs none /dev || exit 9
mknod -m 666 /dev/null c 1 3 && ln -s /proc/self/fd/1 /dev/stdout && ln -s /proc/self/fd/0 /dev/stdin
"$netsep" audit "$bank" -o /dev/null $asof; echo "null=$?"
[ -c /dev/null ] && echo "null-is-device"
"$netsep" audit "$bank" -o /dev/stdout $asof >"$work/stdout-file.txt"; echo "stdout-file=$?"
"$netsep" audit "$bank" -o /dev/stdout $asof | cat >"$work/stdout-pipe.txt"; echo "stdout-pipe=$?"
[ -L /dev/stdout ] && echo "stdout-is-link"
cp "$bank" "$work/unformatted.nsp" && sed -i 's/^zone /zone   /' "$work/unformatted.nsp"
"$netsep" fmt /dev/stdin <"$work/unformatted.nsp"; echo "fmt-stdin=$?"
[ -L /dev/stdin ] && echo "stdin-is-link"
SH
  unshare --mount --propagation private sh ns.sh "$netsep" "$bank" "$work" "$asof" >ns.log 2>&1
  for want in null=0 null-is-device stdout-file=0 stdout-pipe=0 stdout-is-link fmt-stdin=2 stdin-is-link; do
    if grep -qx "$want" ns.log; then ok "/dev in a namespace: $want"; else bad "/dev in a namespace: no $want"; cat ns.log; fi
  done
  if grep -q "Separation exceptions\|exception" stdout-file.txt && [ "$(wc -c <stdout-file.txt)" = "$(wc -c <stdout-pipe.txt)" ]; then
    ok "audit -o /dev/stdout writes the report to a redirected file and a pipe"; else
    bad "audit -o /dev/stdout did not write the report"; fi
  if grep -q "fmt rewrites regular files in place" ns.log; then ok "fmt /dev/stdin says why it refuses"; else
    bad "fmt /dev/stdin: no reason"; fi
else echo "SKIP /dev streams (needs root and unshare --mount)"; fi

# fmt keeps the owner, group and mode of the file it rewrites; as another
# user it refuses a file it could not give back to its owner.
for i in $(seq 1 20); do printf 'zone   z%d { kind dmz networks 10.99.%d.0/24 }\n' "$i" "$i"; done >ugly.nsp
if is_root; then
  cp ugly.nsp owned.nsp && chown 65534:65534 owned.nsp && chmod 640 owned.nsp
  expect_rc "fmt on another user's file (as root) exits 0" 0 "$netsep" fmt owned.nsp
  if [ "$(stat -c '%u:%g %a' owned.nsp)" = "65534:65534 640" ]; then ok "fmt keeps owner, group and mode"; else
    bad "fmt changed owner/group/mode to $(stat -c '%u:%g %a' owned.nsp)"; fi
  if command -v setpriv >/dev/null; then
    mkdir shared && chmod 1777 shared && chmod 711 "$work"
    cp ugly.nsp shared/roots.nsp && chmod 666 shared/roots.nsp
    expect_rc "fmt as another user on a root file exits 2" 2 \
      setpriv --reuid=65534 --regid=65534 --clear-groups "$netsep" fmt "$work/shared/roots.nsp"
    expect_msg "fmt says it cannot keep the owner" "cannot keep the owner and group"
    if cmp -s shared/roots.nsp ugly.nsp && [ "$(stat -c %u shared/roots.nsp)" = 0 ]; then
      ok "the file stays as it was"; else bad "fmt changed a file it could not give back"; fi
    no_temp_left "no temporary left in the shared directory" shared
    chmod 700 "$work"
  fi
else echo "SKIP fmt owner (not root)"; fi

# 12. Interruptions. A compile of 100 firewalls for six backends (700
# files) is interrupted at points spread over its run.
python3 - many.nsp <<'PY'
import sys
n = 100
out = ["service https tcp/443", "service ssh tcp/22"]
out += [f"zone z{i} {{ kind admin level sensitive networks 10.{i // 256}.{i % 256}.0/24 }}" for i in range(n)]
out += [f'access r{i} {{ from z{i} to z{(i + 1) % n} service https, ssh, tcp/{1000 + i} log justification "j" owner "o" }}'
        for i in range(n)]
out += [f"firewall fw{i} {{ backend nftables, iptables, cisco-asa, juniper-srx, paloalto, fortios "
        f"interface eth0 zone z{i} on juniper-srx ge-0/0/0.0, paloalto ethernet1/1 "
        f"interface eth1 zone z{(i + 1) % n} on juniper-srx ge-0/0/1.0, paloalto ethernet1/2 }}"
        for i in range(n)]
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY
"$netsep" compile "$bank" -o out $asof 2>/dev/null
cp -a out out.before
start=$(date +%s%N)
"$netsep" compile many.nsp -o ref $asof 2>/dev/null
ms=$((($(date +%s%N) - start) / 1000000))
hit=0 left=0 wrongrc=0 mixed=0 hits=""
for sig in INT TERM HUP; do
  for pct in 30 70; do
    rm -rf out && cp -a out.before out
    # A background job of a script starts with SIGINT ignored; give it the
    # default, as a compile started from a terminal or by CI has.
    env --default-signal=INT "$netsep" compile many.nsp -o out $asof >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v ms="$ms" -v p="$pct" 'BEGIN { printf "%.3f", ms * p / 100000 }')"
    kill -s "$sig" "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rc=$?
    case $sig in INT) want=130 ;; TERM) want=143 ;; HUP) want=129 ;; esac
    if [ "$rc" = "$want" ]; then hit=$((hit + 1)) && hits="$hits $sig"; elif [ "$rc" != 0 ]; then
      wrongrc=$((wrongrc + 1)); echo "SIG$sig at $pct%: exit $rc"; fi
    if find . -maxdepth 1 -name '.out.netsep-*' | grep -q .; then left=$((left + 1)); echo "SIG$sig at $pct%: left $(ls -a | grep netsep-)"; fi
    if ! diff -r out out.before >/dev/null 2>&1 && ! diff -r out ref >/dev/null 2>&1; then mixed=$((mixed + 1)); fi
  done
done
if [ "$left" = 0 ]; then ok "SIGINT/SIGTERM/SIGHUP leave no temporary ($hit of 6 interrupted mid-run, compile $ms ms)"; else
  bad "$left of 6 interrupted compiles left a temporary"; fi
if [ "$wrongrc" = 0 ]; then ok "an interrupted compile ends with its signal"; else bad "$wrongrc interrupted compiles ended otherwise"; fi
if [ "$mixed" = 0 ]; then ok "interrupted compiles leave the old or the complete new output"; else bad "$mixed partial outputs"; fi
for sig in INT TERM HUP; do
  case "$hits " in *" $sig "*) ok "SIG$sig interrupted a compile mid-run" ;; *) bad "SIG$sig never interrupted a compile (too fast?)" ;; esac
done

# A temporary of a killed run (SIGKILL) is removed by the next run; one that
# a live process holds is not.
rm -rf out && cp -a out.before out
"$netsep" compile many.nsp -o out $asof >/dev/null 2>&1 &
pid=$!
sleep "$(awk -v ms="$ms" 'BEGIN { printf "%.3f", ms * 0.5 / 1000 }')"
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
mkdir .out.netsep-Stale1 && echo x >.out.netsep-Stale1/f
mkdir .out.netsep-Live01
exec 7<.out.netsep-Live01 # held by this shell, as a live run holds its temporary
flock -x 7
expect_rc "the next compile exits 0" 0 "$netsep" compile "$bank" -o out $asof
if [ -d .out.netsep-Live01 ] && ! find . -maxdepth 1 -name '.out.netsep-*' ! -name '.out.netsep-Live01' | grep -q .; then
  ok "stale temporaries removed, a live one kept"; else bad "temporaries after the next run: $(ls -a | grep netsep-)"; fi
exec 7<&-
rm -rf .out.netsep-Live01
echo old >report.txt
touch .report.txt.netsep-Stale2
expect_rc "audit -o after a killed audit exits 0" 0 "$netsep" audit "$bank" -o report.txt $asof
if [ ! -e .report.txt.netsep-Stale2 ]; then ok "a stale temporary file is removed"; else bad "a stale temporary file stayed"; fi

# One writer per output: while another run holds the output's lock, a
# compile exits 2 and writes nothing.
rm -rf out && cp -a out.before out
exec 8>>.out.netsep-lock # this shell holds the output's lock, as a running compile does
flock -x 8
expect_rc "a compile while another writes the output exits 2" 2 "$netsep" compile "$bank" -o out $asof
expect_msg "it says another netsep is writing" "another netsep process is writing 'out'; nothing was written"
if diff -r out out.before >/dev/null; then ok "the output is untouched"; else bad "the output changed"; fi
exec 8>&- # the other run ends (or is killed: its lock file may stay, unlocked)
expect_rc "after the other run the compile exits 0" 0 "$netsep" compile "$bank" -o out $asof
if [ ! -e .out.netsep-lock ]; then ok "the lock file is removed after the run"; else bad "the lock file stayed"; fi
no_temp_left "no temporary left" "$work"
finish
