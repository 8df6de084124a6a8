#!/usr/bin/env bash
# Command-line behaviour: exit codes, atomic output, filters.
set -u
netsep=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
expect_rc() { # name expected-rc command...
  local name=$1 want=$2; shift 2
  "$@" >"$work/out" 2>&1; local rc=$?
  if [ "$rc" = "$want" ]; then ok "$name"; else bad "$name (exit $rc, want $want)"; cat "$work/out"; fi
}
bank=$src/../examples/bank.nsp
asof="--as-of 2026-11-22"

expect_rc "check clean policy exits 0" 0 "$netsep" check "$bank" $asof
expect_rc "usage error exits 2" 2 "$netsep" compile "$bank"
expect_rc "unknown subcommand exits 2" 2 "$netsep" frobnicate
expect_rc "missing file exits 2" 2 "$netsep" check "$work/nope.nsp"
expect_rc "directory as policy exits 2" 2 "$netsep" check "$work"
expect_rc "unknown --firewall exits 2" 2 "$netsep" compile "$bank" -o "$work/x" --firewall nope $asof

# A good compile, then a failing one into the same directory: untouched.
"$netsep" compile "$bank" -o "$work/out1" $asof 2>/dev/null
cp -a "$work/out1" "$work/out1.before"
printf 'zone a { kind dmz networks 10.99.0.0/24 }\naccess x { from a to nowhere service tcp/1 }\n' >"$work/broken.nsp"
expect_rc "failed compile exits 1" 1 "$netsep" compile "$work/broken.nsp" -o "$work/out1" $asof
if diff -r "$work/out1" "$work/out1.before" >/dev/null; then ok "failed compile leaves output untouched"; else bad "failed compile changed the output"; fi

# Recompiling replaces the directory wholesale (stale files vanish).
touch "$work/out1/stale-file"
expect_rc "recompile exits 0" 0 "$netsep" compile "$bank" -o "$work/out1" $asof
if [ ! -e "$work/out1/stale-file" ] && diff -r "$work/out1" "$work/out1.before" >/dev/null; then
  ok "recompile replaces the directory"; else bad "recompile left stale files"; fi

# A symlink planted in the output directory is never followed.
echo secret >"$work/victim"
ln -s "$work/victim" "$work/out1/fw-core-link"
mkdir -p "$work/out1/fw-core" && rm -f "$work/out1/fw-core/nftables.nft" && ln -s "$work/victim" "$work/out1/fw-core/nftables.nft"
expect_rc "compile over planted symlinks exits 0" 0 "$netsep" compile "$bank" -o "$work/out1" $asof
if [ "$(cat "$work/victim")" = secret ] && [ ! -L "$work/out1/fw-core/nftables.nft" ]; then
  ok "planted symlink not followed"; else bad "planted symlink was followed"; fi

# A non-empty directory netsep did not write is never replaced.
mkdir -p "$work/mine" && echo keep >"$work/mine/notes.txt"
expect_rc "refuses foreign directory (exit 2)" 2 "$netsep" compile "$bank" -o "$work/mine" $asof
if [ "$(cat "$work/mine/notes.txt")" = keep ]; then ok "foreign directory untouched"; else bad "foreign directory changed"; fi

# Filters.
expect_rc "--backend filter" 0 "$netsep" compile "$bank" -o "$work/only-nft" --backend nftables $asof
if [ -f "$work/only-nft/fw-core/nftables.nft" ] && [ ! -e "$work/only-nft/fw-core/iptables.rules" ]; then
  ok "--backend emits only that backend"; else bad "--backend did not filter"; fi

# A filter that selects nothing is a usage error and leaves the output as it was.
"$netsep" compile "$bank" -o "$work/kept" $asof 2>/dev/null
cp -a "$work/kept" "$work/kept.before"
expect_rc "--backend no firewall uses exits 2" 2 "$netsep" compile "$bank" -o "$work/kept" --backend fortios $asof
expect_rc "--firewall unknown exits 2" 2 "$netsep" compile "$bank" -o "$work/kept" --firewall nope $asof
expect_rc "--backend the selected firewall does not use exits 2" 2 "$netsep" compile "$bank" -o "$work/kept" \
  --firewall fw-core --backend paloalto $asof
if diff -r "$work/kept" "$work/kept.before" >/dev/null; then ok "an empty filter leaves the output untouched"
else bad "an empty filter changed the output"; fi
expect_rc "killswitch --backend no firewall uses exits 2" 2 "$netsep" killswitch "$bank" ai-egress \
  -o "$work/ks-none" --backend fortios $asof
if [ ! -e "$work/ks-none" ]; then ok "killswitch with an empty filter writes nothing"; else bad "killswitch wrote"; fi

# Kill switch for the compile that is deployed. bank.nsp's exception expires
# 2027-06-22; on 2027-07-01 no compile carries it, but a firewall may still run
# the 2026-11-22 compile.
# PAN-OS needs its own interface names (on paloalto ethernet1/N).
sed -e 's/backend nftables, iptables$/backend nftables, iptables, paloalto/' \
  -e 's|^\(  interface eth\([0-9]\) zone [a-z-]*\)$|\1 on paloalto ethernet1/1\2|' \
  "$bank" >"$work/bank-pa.nsp"
"$netsep" compile "$work/bank-pa.nsp" -o "$work/deployed" $asof 2>/dev/null
later="--as-of 2027-07-01"
expect_rc "killswitch: Linux switches exist whatever the date" 0 "$netsep" killswitch "$work/bank-pa.nsp" \
  ai-egress -o "$work/ks-later" --backend nftables --backend iptables $later
if [ -f "$work/ks-later/fw-core/nftables-killswitch-ai-egress-disable.nft" ] &&
  [ -f "$work/ks-later/fw-core/iptables-killswitch-ai-egress-disable.sh" ]; then
  ok "killswitch: expired group still gets Linux artifacts"; else bad "killswitch: no Linux artifacts for an expired group"; fi
expect_rc "killswitch: a vendor kill switch of an expired group needs the deployed compile (exit 1)" 1 \
  "$netsep" killswitch "$work/bank-pa.nsp" ai-egress -o "$work/ks-later2" $later
if grep -q 'error\[E505\].*--for-compile' "$work/out" && [ ! -e "$work/ks-later2" ]; then
  ok "killswitch: E505 names --for-compile"; else bad "killswitch: no E505"; cat "$work/out"; fi
expect_rc "killswitch --for-compile" 0 "$netsep" killswitch "$work/bank-pa.nsp" ai-egress -o "$work/ks-dep" \
  --for-compile "$work/deployed"
if grep -q 'as of 2026-11-22' "$work/ks-dep/fw-core/paloalto-killswitch-ai-egress-disable.set" 2>/dev/null ||
  grep -rq 'as of 2026-11-22' "$work/ks-dep/fw-core/"; then
  ok "killswitch --for-compile takes the deployed as-of date"; else bad "killswitch --for-compile: wrong date"; ls -R "$work/ks-dep"; fi
expect_rc "killswitch --for-compile with --as-of exits 2" 2 "$netsep" killswitch "$work/bank-pa.nsp" ai-egress \
  -o "$work/ks-x" --for-compile "$work/deployed" $asof
expect_rc "killswitch --for-compile of another policy version exits 2" 2 "$netsep" killswitch "$bank" ai-egress \
  -o "$work/ks-x" --for-compile "$work/deployed"
if grep -q 'was compiled from policy digest sha256:' "$work/out"; then ok "digest mismatch is explained"; else bad "digest mismatch message"; fi
# A kill switch only closes access: audit findings do not hold it up.
{ cat "$bank"; printf 'access everything { from any to any service any justification "j" owner "o" }\n'; } >"$work/bad-audit.nsp"
expect_rc "check of a policy with audit errors exits 1" 1 "$netsep" check "$work/bad-audit.nsp" $asof
expect_rc "killswitch despite audit errors exits 0" 0 "$netsep" killswitch "$work/bad-audit.nsp" ai-egress \
  -o "$work/ks-audit" $asof

# fmt --check on an unformatted file exits 1 and does not change it.
printf 'zone   a { kind dmz networks 10.99.0.0/24 }\n' >"$work/ugly.nsp"
cp "$work/ugly.nsp" "$work/ugly.before"
expect_rc "fmt --check on unformatted file exits 1" 1 "$netsep" fmt --check "$work/ugly.nsp"
if cmp -s "$work/ugly.nsp" "$work/ugly.before"; then ok "fmt --check does not write"; else bad "fmt --check wrote"; fi
expect_rc "fmt rewrites" 0 "$netsep" fmt "$work/ugly.nsp"
expect_rc "fmt --check after fmt exits 0" 0 "$netsep" fmt --check "$work/ugly.nsp"

# Provenance: every artifact names the policy digest, which an auditor can
# recompute with coreutils: SHA-256 of the sha256sum manifest of every loaded
# file (paths relative to the top file's directory, load order). The digest
# does not depend on where the tree is or where netsep runs from.
mkdir -p "$work/prov/pol/inc"
printf 'service prov-web tcp/8080\ninclude "more.nsp"\n' >"$work/prov/pol/inc/svc.nsp"
printf 'service prov-alt tcp/8081\n' >"$work/prov/pol/inc/more.nsp"
{ printf 'include "inc/svc.nsp"\n'; cat "$bank"; } >"$work/prov/pol/top.nsp"
(cd "$work/prov/pol" && "$netsep" compile top.nsp -o "$work/prov/out" $asof >/dev/null 2>&1)
want=$(cd "$work/prov/pol" && { sha256sum top.nsp; sha256sum inc/svc.nsp; sha256sum inc/more.nsp; } | sha256sum | cut -d' ' -f1)
got=$(sed -n 's/^# Policy digest sha256:\([0-9a-f]*\), netsep .*, as of 2026-11-22\.$/\1/p' "$work/prov/out/fw-core/nftables.nft")
cp -a "$work/prov/pol" "$work/prov/moved"
"$netsep" compile "$work/prov/moved/top.nsp" -o "$work/prov/out2" $asof >/dev/null 2>&1
if [ -n "$got" ] && [ "$got" = "$want" ] && diff -r "$work/prov/out" "$work/prov/out2" >/dev/null &&
  [ "$(grep -rL "sha256:$want" "$work/prov/out"/fw-core)" = "" ]; then
  ok "provenance: every artifact carries the recomputable policy digest"
else bad "provenance: digest '$got', want '$want'"; fi
printf '# one more comment\n' >>"$work/prov/moved/inc/svc.nsp"
"$netsep" compile "$work/prov/moved/top.nsp" -o "$work/prov/out3" $asof >/dev/null 2>&1
if ! grep -q "sha256:$want" "$work/prov/out3/fw-core/nftables.nft"; then
  ok "provenance: a change in an included file changes the digest"
else bad "provenance: an include change kept the digest"; fi

# A policy file of 1 MiB or more: netsep restarts itself once with huge-page
# malloc heaps (tools/cli/HugePages.hpp); a small one does not, an explicit
# glibc.malloc.hugetlb setting is kept, and the output is the same each way.
python3 "$src/../bench/gen_policy.py" --zones 400 --firewalls 20 --rules 9000 --seed 7 \
  --findings 2 -o "$work/large.nsp"
restarts() { # restarts CMD...: how often CMD exec'd /proc/self/exe
  strace -f -qq -e trace=execve -o "$work/strace" "$@" >/dev/null 2>&1
  grep -c 'execve("/proc/self/exe"' "$work/strace"
}
size=$(wc -c <"$work/large.nsp")
if [ "$size" -ge 1048576 ]; then ok "large policy is $size bytes"; else bad "large policy only $size bytes"; fi
if grep -q __asan_init "$netsep"; then echo "SKIP restart (sanitizer builds never restart)"
elif ! command -v strace >/dev/null; then bad "strace missing (scripts/install-deps.sh installs it)"
elif ! strace -qq -o /dev/null true 2>/dev/null; then echo "SKIP restart (ptrace not permitted here)"; else
  n=$(restarts "$netsep" check "$work/large.nsp" $asof)
  if [ "$n" = 1 ]; then ok "large input: one restart with huge pages"; else bad "large input: $n restarts"; fi
  n=$(GLIBC_TUNABLES=glibc.malloc.check=0 strace -f -qq -v -s 4096 -e trace=execve -o "$work/strace" \
    "$netsep" check "$work/large.nsp" $asof >/dev/null 2>&1; grep 'execve("/proc/self/exe"' "$work/strace" |
    grep -c '"GLIBC_TUNABLES=glibc.malloc.check=0:glibc.malloc.hugetlb=1"')
  if [ "$n" = 1 ]; then ok "the restart keeps the user's tunables"; else bad "restart lost the user's tunables ($n)"; fi
  n=$(restarts "$netsep" check "$bank" $asof)
  if [ "$n" = 0 ]; then ok "small input: no restart"; else bad "small input: $n restarts"; fi
  n=$(GLIBC_TUNABLES=glibc.malloc.hugetlb=0 restarts "$netsep" check "$work/large.nsp" $asof)
  if [ "$n" = 0 ]; then ok "glibc.malloc.hugetlb=0: no restart"; else bad "opt-out ignored: $n restarts"; fi
fi
"$netsep" check "$work/large.nsp" $asof --format json >"$work/large-huge.json" 2>&1
rc_huge=$?
GLIBC_TUNABLES=glibc.malloc.hugetlb=0 "$netsep" check "$work/large.nsp" $asof --format json >"$work/large-plain.json" 2>&1
rc_plain=$?
if [ "$rc_huge" = 1 ] && [ "$rc_plain" = 1 ] && cmp -s "$work/large-huge.json" "$work/large-plain.json" &&
  grep -q LAT-001 "$work/large-huge.json"; then ok "large input: same findings with and without the restart"; else
  bad "large input: the restart changed the result (exit $rc_huge / $rc_plain)"; fi

# fmt on standard input writes standard output (editors format on save):
# the same layout as fmt in place, nothing on stdout when the input is broken.
printf 'zone  a {kind dmz   level open networks 10.99.0.0/24}\n# c\naccess x{from a to a service tcp/1}\n' >"$work/messy.nsp"
cp "$work/messy.nsp" "$work/inplace.nsp"
"$netsep" fmt "$work/inplace.nsp" 2>/dev/null
if "$netsep" fmt - <"$work/messy.nsp" >"$work/piped.nsp" 2>"$work/err" && cmp -s "$work/piped.nsp" "$work/inplace.nsp" &&
  cmp -s "$work/messy.nsp" <(printf 'zone  a {kind dmz   level open networks 10.99.0.0/24}\n# c\naccess x{from a to a service tcp/1}\n'); then
  ok "fmt - formats standard input to standard output, file untouched"; else bad "fmt - differs from fmt in place"; cat "$work/err"; fi
expect_rc "fmt - --check on formatted input exits 0" 0 sh -c "\"$netsep\" fmt - --check <\"$work/inplace.nsp\""
expect_rc "fmt - --check on unformatted input exits 1" 1 sh -c "\"$netsep\" fmt - --check <\"$work/messy.nsp\""
printf 'zone a { kind dmz networks 10.99.0.0/24\n' | "$netsep" fmt - >"$work/broken.out" 2>"$work/broken.err"
rc=$?
if [ "$rc" = 1 ] && [ ! -s "$work/broken.out" ] && grep -q '^<stdin>:1:8: error\[E101\]' "$work/broken.err"; then
  ok "fmt - on a syntax error: exit 1, diagnostics on stderr, nothing on stdout"; else
  bad "fmt - on a syntax error (exit $rc)"; cat "$work/broken.out" "$work/broken.err"; fi

# compile --previous: vendor outputs remove what the deployed compile had and
# this one has not; the previous directory may be the output directory itself.
cp "$src/golden/cases/vendor-all-backends.nsp" "$work/v1.nsp"
grep -v '^access app-db' "$work/v1.nsp" >"$work/v2.nsp"
"$netsep" compile "$work/v1.nsp" -o "$work/vout" $asof 2>/dev/null
cp -a "$work/vout" "$work/vout.v1"
expect_rc "--previous the output directory itself" 0 \
  "$netsep" compile "$work/v2.nsp" -o "$work/vout" --previous "$work/vout" $asof
if grep -qx 'delete rulebase security rules netsep-app-db-tcp' "$work/vout/fw-all/paloalto.set" &&
  grep -q '^    delete 10[0-9]*$' "$work/vout/fw-all/fortios.conf" &&
  grep -q '^clear configure access-list netsep-app-in-' "$work/vout/fw-all/cisco-asa-cleanup.cfg" &&
  grep -q '^access-group netsep-app-in-' "$work/vout/fw-all/cisco-asa-rollback.cfg"; then
  ok "--previous removes the dropped rule on PAN-OS, FortiOS and ASA"; else bad "--previous removed nothing"; fi
"$netsep" compile "$work/v2.nsp" -o "$work/vout3" $asof 2>/dev/null
if ! grep -q 'netsep-app-db' "$work/vout3/fw-all/paloalto.set" &&
  [ ! -e "$work/vout3/fw-all/cisco-asa-cleanup.cfg" ]; then
  ok "without --previous nothing of an earlier compile is named"; else bad "a compile without --previous named earlier rules"; fi
expect_rc "--previous of a missing directory exits 2" 2 \
  "$netsep" compile "$work/v2.nsp" -o "$work/vout2" --previous "$work/nope" $asof
cp -a "$work/vout.v1" "$work/prev-bad"
echo "set address x ip-netmask 10.0.0.1/32" >"$work/prev-bad/fw-all/paloalto.set"
cp -a "$work/vout" "$work/vout.before"
expect_rc "a previous output netsep did not write is E506 (exit 1)" 1 \
  "$netsep" compile "$work/v2.nsp" -o "$work/vout" --previous "$work/prev-bad" $asof
if grep -q 'E506' "$work/out" && diff -r "$work/vout" "$work/vout.before" >/dev/null; then
  ok "refused previous output leaves the output untouched"; else bad "refused previous output: no E506 or output changed"; fi

# quarantine: files per policing firewall and backend, a report on stdout.
expect_rc "quarantine exits 0" 0 "$netsep" quarantine "$bank" app -o "$work/q" --backend nftables $asof
if [ -f "$work/q/fw-core/nftables-quarantine.nft" ] && [ -f "$work/q/fw-core/nftables-quarantine-release.nft" ] &&
   [ ! -e "$work/q/fw-core/iptables-quarantine.sh" ] && grep -q "crown jewel core" "$work/q/quarantine-report.txt" &&
   grep -q "crown jewel core" "$work/out"; then
  ok "quarantine writes its artifacts and the crown-jewel report"; else bad "quarantine output"; ls -R "$work/q"; fi
expect_rc "quarantine --no-access with --allow-from exits 2" 2 "$netsep" quarantine "$bank" app -o "$work/q2" --no-access --allow-from admin $asof
expect_rc "quarantine unknown --firewall exits 2" 2 "$netsep" quarantine "$bank" app -o "$work/q2" --firewall nope $asof
expect_rc "quarantine unknown target exits 1" 1 "$netsep" quarantine "$bank" nope -o "$work/q2" $asof
[ ! -e "$work/q2" ] && ok "failed quarantines write nothing" || bad "failed quarantine wrote $work/q2"

# apply: usage errors never touch a ruleset or a state.
expect_rc "apply without PATH or a mode exits 2" 2 "$netsep" apply --state-dir "$work/st"
expect_rc "apply with two modes exits 2" 2 "$netsep" apply --confirm --rollback --state-dir "$work/st"
expect_rc "apply --confirm-within without PATH exits 2" 2 "$netsep" apply --confirm --confirm-within 5 --state-dir "$work/st"
expect_rc "apply --confirm-within 0 exits 2" 2 "$netsep" apply "$work/out1" --confirm-within 0 --state-dir "$work/st"
expect_rc "apply --netns with a path exits 2" 2 "$netsep" apply "$work/out1" --netns ../x --state-dir "$work/st"
expect_rc "apply of a directory with two backends exits 2" 2 "$netsep" apply "$work/out1" --state-dir "$work/st"
expect_rc "apply of another firewall's file exits 2" 2 "$netsep" apply "$work/out1/fw-core/nftables.nft" --firewall fw-edge --state-dir "$work/st"
expect_rc "apply of a file that is no artifact exits 2" 2 "$netsep" apply "$work/q/quarantine-report.txt" --state-dir "$work/st"
expect_rc "apply --confirm with nothing pending exits 1" 1 "$netsep" apply --confirm --state-dir "$work/st"
expect_rc "apply --rollback with nothing saved exits 1" 1 "$netsep" apply --rollback --state-dir "$work/st"
expect_rc "apply --status without state exits 0" 0 "$netsep" apply --status --state-dir "$work/st"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
