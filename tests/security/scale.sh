#!/usr/bin/env bash
# Growth and memory on hostile-size input (docs/security.md §4): every list
# that can grow (ports of a service, inline ports of a rule compiled for six
# backends, networks of a zone, zones nested in the internet catch-all,
# members of a group) costs linear or n log n time at n = 4,096, 16,384 and
# 65,536; out of memory under a cap is exit 2 with a message.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
in=$work/in
mkdir -p "$in"
python3 "$src/security/gen_scale.py" "$in"
cd "$in" || exit 1

# CPU time (user + system, ms) of one run; a run over 60 s counts as 60 s.
cpu_once() {
  local t
  t=$( { TIMEFORMAT='%3U %3S'; time timeout 60 "$netsep" "$@" >/dev/null 2>&1; } 2>&1 | tail -n1 |
    awk '{ printf "%d", ($1 + $2) * 1000 }')
  echo "${t:-60000}"
}
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }

# Growth by 4x twice: linear work gives ratios near 4, quadratic near 16; the
# bound is 8. Below 50 ms process start-up dominates, so the smaller time
# counts as at least 50 ms. A ratio over the bound is measured twice more
# and the medians decide, so one slow moment on a busy machine cannot fail it.
grow() {
  local kind=$1; shift
  local t1 t2 t3 r a b c
  t1=$(cpu_once "$@" "$kind-4096.nsp")
  t2=$(cpu_once "$@" "$kind-16384.nsp")
  t3=$(cpu_once "$@" "$kind-65536.nsp")
  over() { local s=$1 l=$2; [ "$s" -lt 50 ] && s=50; [ "$l" -gt $((s * 8)) ]; }
  if over "$t1" "$t2" || over "$t2" "$t3"; then
    r=$(for _ in 1 2; do cpu_once "$@" "$kind-4096.nsp"; done)
    a=$(median3 "$t1" $r)
    r=$(for _ in 1 2; do cpu_once "$@" "$kind-16384.nsp"; done)
    b=$(median3 "$t2" $r)
    r=$(for _ in 1 2; do cpu_once "$@" "$kind-65536.nsp"; done)
    c=$(median3 "$t3" $r)
    t1=$a t2=$b t3=$c
  fi
  if over "$t1" "$t2" || over "$t2" "$t3"; then
    bad "$kind ($1): superlinear: ${t1} / ${t2} / ${t3} ms CPU at 4,096 / 16,384 / 65,536"
  else
    ok "$kind ($1): ${t1} / ${t2} / ${t3} ms CPU at 4,096 / 16,384 / 65,536"
  fi
}
grow service-ports check $asof
grow rule-ports compile -o "$work/out" $asof
grow zone-networks check $asof
grow nested-zones check $asof
grow group-members check $asof

# Findings are grouped (docs/analysis.md): 1,000 exposed sources x 1,000
# targets is one finding per source, the output grows with the sources; the
# details stay one query away (paths --from).
expect_rc "1,000 x 1,000 pairs: check exits 1 within 30 s" 1 timeout 30 "$netsep" check fan.nsp $asof
size=$(wc -c <"$work/cmd.log")
lat=$(grep -c 'error\[LAT-001\]' "$work/cmd.log")
if [ "$lat" = 1000 ] && [ "$size" -lt 3000000 ]; then ok "1,000 x 1,000 pairs: $lat findings, $size bytes"; else
  bad "1,000 x 1,000 pairs: $lat findings, $size bytes (want 1,000 findings, under 3 MB)"; fi
expect_msg "a group says how many targets and names the nearest" \
  "zone s7 \(kind internet\) reaches 1000 target zones \(crown-jewel\); the nearest, t0, in 2 hops: s7 → hub"
expect_msg "a group names the next and points at the details" \
  "note: also reached: t1 \(2 hops\), t2 \(2 hops\) and 997 more; \`netsep paths --from s7\` lists every path"
expect_rc "paths --from lists every target of one source" 1 timeout 30 "$netsep" paths fan.nsp --from s7 -k 1 $asof
expect_msg "paths --from: 1,000 findings" "^lateral movement: 1000 findings"
# A name of 100 KB is refused at once (E107) instead of multiplying the output;
# names of 255 bytes with 1,000 sources stay bounded.
expect_rc "a 100 KB name exits 1 within 10 s" 1 timeout 10 "$netsep" check long-name.nsp $asof
expect_msg "a 100 KB name is E107" "error\[E107\]: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\.\.\.' is 100000 bytes long"
size=$(wc -c <"$work/cmd.log")
if [ "$size" -lt 10000 ]; then ok "a 100 KB name: $size bytes of diagnostics"; else bad "a 100 KB name: $size bytes"; fi
expect_rc "255-byte names x 1,000 sources: exits 1 within 30 s" 1 timeout 30 "$netsep" check long-names.nsp $asof
size=$(wc -c <"$work/cmd.log")
if [ "$size" -lt 6000000 ]; then ok "255-byte names x 1,000 sources: $size bytes"; else
  bad "255-byte names x 1,000 sources: $size bytes (want under 6 MB)"; fi

# A long analysis shows its progress on a terminal (script(1) gives a pty;
# NETSEP_PROGRESS_AFTER_MS=0 shows it at once instead of after a second).
if command -v script >/dev/null; then
  NETSEP_PROGRESS_AFTER_MS=0 timeout 120 script -qfec "'$netsep' check mesh.nsp $asof" /dev/null >"$work/tty.log" 2>&1
  if grep -aqE 'netsep: analysis: graph [0-9]+/1501' "$work/tty.log"; then ok "progress on a terminal: graph n/1501"; else
    bad "no progress line on a terminal"; tr '\r' '\n' <"$work/tty.log" | grep -a 'netsep:' | head -5; fi
  "$netsep" check mesh.nsp $asof >/dev/null 2>"$work/notty.log"
  if grep -q 'netsep: analysis' "$work/notty.log"; then bad "progress written to a file"; else
    ok "no progress when stderr is not a terminal"; fi
else echo "SKIP progress on a terminal (no script(1))"; fi

# Out of memory under a cap (ulimit -v): exit 2 with a message, never an
# internal error or a signal; a compile leaves the previous output as it
# was and no temporary. (Not under the sanitizers: their shadow memory
# needs terabytes of address space.)
if grep -q __asan_init "$netsep"; then echo "SKIP memory cap (sanitizer build)"; else
  "$netsep" compile rule-ports-4096.nsp -o "$work/capped" $asof >/dev/null 2>&1
  cp -a "$work/capped" "$work/capped.before"
  for cmd in check compile audit paths; do
    case $cmd in
    compile) args=(compile memory.nsp -o "$work/capped" $asof) ;;
    *) args=("$cmd" memory.nsp $asof) ;;
    esac
    expect_rc "$cmd under a 50 MB memory cap exits 2" 2 bash -c 'ulimit -v 50000; exec "$@"' _ "$netsep" "${args[@]}"
    expect_msg "$cmd under a memory cap says out of memory" "^netsep: error: out of memory"
  done
  if diff -r "$work/capped" "$work/capped.before" >/dev/null; then ok "out of memory leaves the output as it was"; else
    bad "out of memory changed the output"; fi
  no_temp_left "out of memory leaves no temporary" "$work"
fi
finish
