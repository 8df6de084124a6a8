#!/usr/bin/env bash
# Bounded resources on hostile input (docs/security.md): 100k-element lists,
# 10 MB strings, 5 MB names and lines, 100k braces, 1M stray bytes, include
# chains past the depth limit, endless includes. Every run must end with exit
# 0 or 1 (never a crash, exit 3 or a signal) within a generous timeout, on a
# 1 MiB stack (so recursion that grows with the input would overflow), and
# with diagnostics whose size does not grow with the line they quote. Front-
# end work on long lists is checked for linear growth (time for 4n elements
# against n, a generous ratio).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
in=$work/in
mkdir -p "$in"
python3 "$src/security/gen_limits.py" "$in"
cd "$in" || exit 1

# run NAME WANT-RC [MAX-STDERR-BYTES]: check NAME.nsp on a 1 MiB stack.
run() {
  local name=$1 want=$2 max=${3:-1000000}
  # At most max+1 bytes are kept: a flood of diagnostics ends in SIGPIPE.
  (ulimit -s 1024; exec timeout 300 "$netsep" check "$name.nsp" $asof) 2>&1 >/dev/null |
    head -c $((max + 1)) >"$work/err"
  local rc=${PIPESTATUS[0]} size
  size=$(wc -c <"$work/err")
  if [ "$rc" = "$want" ]; then ok "$name exits $want"; else
    bad "$name (exit $rc, want $want)"; head -c 1500 "$work/err"; echo; fi
  if [ "$size" -le "$max" ]; then ok "$name: diagnostics bounded ($size bytes)"; else
    bad "$name: $size bytes of diagnostics (limit $max)"; fi
}
run list-networks 0
run list-group 0
run list-ports 0
run list-services 0
run list-endpoints 0 8000000 # one warning per zone (no firewall, no rule)
run many-zones 0 8000000
run huge-string 0
run huge-name 1 # E107: a word is at most 255 bytes; the message quotes its start
if grep -q "error\[E107\]: 'nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn\.\.\.' is 5242880 bytes long" "$work/err"; then
  ok "a 5 MB name is E107"; else bad "a 5 MB name: no E107"; head -c 600 "$work/err"; fi
run huge-comment 0
run braces 1
run stray-bytes 1 # syntax errors stop after 20
run errors-one-line 1 20000000 # 20k errors, under 1 kB each
if [ "$(grep -c 'error\[E303\]' "$work/err")" -ge 20000 ]; then ok "errors-one-line reports every error"; else
  bad "errors-one-line lost errors"; fi
run undefined-names 1 8000000
run chain0 1
if grep -q "error\[E105\]: includes are nested more than 32 deep" "$work/err"; then
  ok "include chain past the limit is E105"; else bad "include chain: no E105"; head -c 600 "$work/err"; fi
run include-zero 1
if grep -q "error\[E102\].*it lies outside" "$work/err"; then ok "endless include is E102 (outside the roots, never read)"; else
  bad "endless include: no E102"; head -c 600 "$work/err"; fi
run include-dir 1
if grep -q "error\[E102\].*is a directory" "$work/err"; then ok "directory include is E102"; else
  bad "directory include: no E102"; head -c 600 "$work/err"; fi

# The reporting limits themselves: at most 20 syntax errors per file, one
# per line; "did you mean" for the first 100 undefined names only; a quoted
# line cut to a 240-byte window marked with "...", the caret on the token.
python3 - "$in" <<'PY'
import sys
d = sys.argv[1]
open(f"{d}/syntax-many.nsp", "w").write(
    "zone two { @ @ @ @ } } }\n"
    + "".join(f"zone z{i} {{ kind internal @ networks 10.0.{i}.0/24 }}\n" for i in range(60)))
zones = "".join(f"zone z{i} {{ kind internal networks 10.{i // 256}.{i % 256}.0/24 }}\n" for i in range(300))
open(f"{d}/suggest-many.nsp", "w").write(
    zones + "access r { from " + ",\n  ".join(f"z{i}x" for i in range(250))
    + ' to z0 service tcp/1 justification "j" owner "o" }\n')
nets = lambda a: ", ".join(f"10.{a}.{i // 256}.{i % 256}/32" for i in range(5000))
open(f"{d}/long-line.nsp", "w").write(
    f"zone a {{ kind internal networks {nets(0)}, 10.0.0.300/32, {nets(1)} }}\n")
PY
"$netsep" check syntax-many.nsp $asof >/dev/null 2>"$work/err"
n=$(grep -c 'error\[E101\]' "$work/err")
lines=$(grep -o '^syntax-many.nsp:[0-9]*:' "$work/err" | sort -u | wc -l)
if [ "$n" = 20 ] && [ "$lines" = 20 ]; then ok "syntax errors: 20 per file, one per line"; else
  bad "syntax errors: $n reported on $lines lines (want 20 on 20)"; fi
"$netsep" check suggest-many.nsp $asof >/dev/null 2>"$work/err"
total=$(grep -c 'error\[E202\]' "$work/err")
first=$(grep 'error\[E202\]' "$work/err" | head -n 100 | grep -c 'did you mean')
later=$(grep 'error\[E202\]' "$work/err" | tail -n +101 | grep -c 'did you mean')
if [ "$total" = 250 ] && [ "$first" = 100 ] && [ "$later" = 0 ]; then
  ok "suggestions: the first 100 undefined names only"; else
  bad "suggestions: $total E202, $first of the first 100 and $later later ones suggest"; fi
"$netsep" check long-line.nsp $asof >/dev/null 2>"$work/err"
if python3 - "$work/err" <<'PY'; then ok "a long line is quoted as a 240-byte window, caret on the token"; else
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
head, quote, caret = lines[0], lines[1], lines[2]
assert "error[E303]: '10.0.0.300/32'" in head, head
assert quote.startswith("  ...") and quote.endswith("...") and len(quote) <= 2 + 3 + 240 + 3, len(quote)
at = caret.index("^")
assert quote[at:at + 13] == "10.0.0.300/32" and caret[at:] == "^" + "~" * 12, (quote[at:], caret[at:])
PY
  bad "a long line is not quoted as a bounded window"; head -c 1000 "$work/err"; echo; fi

# Memory is linear in the input: peak RSS at 4n against n for a well-formed
# policy (zones and rules), stray bytes (syntax-error path) and bad list
# elements (one diagnostic each); linear gives under 4 (start-up memory
# counts at both sizes), quadratic 16; the bound is 6. Without sanitizers
# (their shadow memory and quarantine inflate RSS) the well-formed policy
# must also stay within 60x its size (docs/security.md: roughly 30x).
python3 - "$in" <<'PY'
import sys
d = sys.argv[1]
def addr(i): return f"10.{i // 65536}.{(i // 256) % 256}.{i % 256}"
for n in (5_000, 20_000):
    open(f"{d}/mem-rules-{n}.nsp", "w").write(
        "".join(f"zone z{i} {{ kind internal level sensitive networks {addr(i * 4)}/30 }}\n" for i in range(n))
        + "".join(f'access r{i} {{ from z{i} to z{(i + 1) % n} service tcp/{i % 60000 + 1} '
                  f'justification "j" owner "o" }}\n' for i in range(n)))
    open(f"{d}/mem-bad-{n}.nsp", "w").write(
        "zone a { kind internal networks " + ", ".join(f"bad{i}" for i in range(n)) + " }\n")
for n in (250_000, 1_000_000):
    open(f"{d}/mem-stray-{n}.nsp", "w").write("@" * n + "\n")
PY
peak_kb() { # peak RSS (KiB) of `netsep check FILE`
  python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$netsep" check "$1" $asof
}
for pair in "rules 5000 20000" "bad 5000 20000" "stray 250000 1000000"; do
  set -- $pair
  small=$(peak_kb "mem-$1-$2.nsp")
  large=$(peak_kb "mem-$1-$3.nsp")
  if [ "$large" -le $((small * 6)) ]; then ok "memory $1: 4x the input in ${large} KiB vs ${small} KiB"; else
    bad "memory $1: 4x the input took ${large} KiB vs ${small} KiB (superlinear)"; fi
  [ "$1" = rules ] && rules_kb=$large
done
if grep -q __asan_init "$netsep"; then echo "SKIP memory per input byte (sanitizer build)"; else
  bytes=$(wc -c <mem-rules-20000.nsp)
  if [ $((rules_kb * 1024)) -le $((bytes * 60)) ]; then
    ok "memory: $((rules_kb * 1024 / bytes))x the size of a well-formed policy"; else
    bad "memory: $((rules_kb * 1024 / bytes))x the size of a well-formed policy (bound 60x)"; fi
fi

# Linear growth: CPU time (user+sys, steady under a busy CI machine), best
# of two runs, at n and at 4n elements. Linear work gives a ratio near 4,
# quadratic near 16; the bound is 8.
cpu_ms() {
  local best= t
  for _ in 1 2; do
    t=$( { TIMEFORMAT='%3U %3S'; time timeout 300 "$netsep" check "$1" $asof >/dev/null 2>&1; } 2>&1 |
      awk '{ printf "%d", ($1 + $2) * 1000 }')
    if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
  done
  echo "$best"
}
python3 - "$in" <<'PY'
import sys
d = sys.argv[1]
def addr(i): return f"10.{i // 65536}.{(i // 256) % 256}.{i % 256}"
for n in (25_000, 100_000):  # services listed by one rule
    open(f"{d}/grow-services-{n}.nsp", "w").write(
        "".join(f"service s{i} tcp/{i % 65535 + 1}\n" for i in range(n))
        + "zone a { kind internal networks 10.1.0.0/16 }\nzone b { kind internal networks 10.2.0.0/16 }\n"
        + "access r { from a to b service " + ", ".join(f"s{i}" for i in range(n))
        + ' justification "j" owner "o" }\n')
for n in (10_000, 40_000):  # zones listed by one rule
    zones = "".join(f"zone z{i} {{ kind internal networks {addr(i * 4)}/30 }}\n" for i in range(n))
    open(f"{d}/grow-endpoints-{n}.nsp", "w").write(
        zones + "access r { from " + ", ".join(f"z{i}" for i in range(n))
        + ' to z0 service tcp/1 justification "j" owner "o" }\n')
for n in (4_000, 16_000):  # undefined names against as many definitions
    zones = "".join(f"zone z{i} {{ kind internal networks {addr(i * 4)}/30 }}\n" for i in range(n))
    open(f"{d}/grow-undefined-{n}.nsp", "w").write(
        zones + "access r { from " + ",\n".join(f"y{i}" for i in range(n))
        + ' to z0 service tcp/1 justification "j" owner "o" }\n')
PY
for pair in "services 25000 100000" "endpoints 10000 40000" "undefined 4000 16000"; do
  set -- $pair
  small=$(cpu_ms "grow-$1-$2.nsp")
  large=$(cpu_ms "grow-$1-$3.nsp")
  [ "$small" -lt 100 ] && small=100 # below this, process start-up dominates
  if [ "$large" -le $((small * 8)) ]; then ok "$1: 4x the elements in ${large} ms vs ${small} ms CPU"; else
    bad "$1: 4x the elements took ${large} ms vs ${small} ms CPU (superlinear)"; fi
done
finish
