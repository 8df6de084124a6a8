#!/usr/bin/env bash
# Diagnostics never send a control character to the terminal
# (docs/security.md §5): every C0 control but tab and newline, DEL and every
# C1 control (U+0080..U+009F), placed where a diagnostic shows it:
#   outside a string     E101 message and the quoted source line
#   inside strings       the quoted line of an error on that line, and a
#                        message that quotes the string (AIX-011 approved-by)
#   in an include path   E102 message and quoted line
#   in a directory name  the location (FILE:LINE:COL) of every diagnostic
#                        from a file included through it
# and the audit report in every format (text and HTML show '?'; JSON and
# SARIF escape them as \u00XX).
# Every command's stderr (and the stdout of check, paths and audit) must hold none
# of these bytes; tab and newline are the only control characters allowed.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
in=$work/in
mkdir -p "$in"
python3 - "$in" <<'PY'
import os
import sys

d = sys.argv[1]
# C0 (NUL included) but tab and line feed, DEL, C1.
controls = [chr(c) for c in range(0x20) if c not in (0x09, 0x0A)] + ["\x7f"] + [
    chr(c) for c in range(0x80, 0xA0)]
def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)

# One file per character outside a string (syntax errors stop after 20).
for i, c in enumerate(controls):
    write(f"{d}/outside-{i:02d}.nsp",
          f"zone dmz {{ kind dmz level open networks 10.99.1.0/24 }}\n"
          f"zone app {{ kind internal {c}[31m networks 10.99.2.0/24 }}\n")
# Inside strings (a STRING holds anything but a quote, backslash or line
# break, so CR stays out).
s = "".join(c for c in controls if c != "\r") + "\x1b[2J\u009b31m"
write(f"{d}/strings.nsp", f'''policy p {{ owner "{s}" }}
service https tcp/443
zone internet {{ kind internet level open networks 0.0.0.0/0 }}
zone scan {{ kind internal level sensitive networks 10.21.0.0/28 }}
saas ai {{ provider "{s}" fqdn api.ai.example networks 198.51.100.0/33
  screening "{s}" on 2026-05-30 }}
exception ai-scan {{ from scan to ai service https purpose vulnerability-assessment
  basis no-action-letter "{s}" issued 2026-06-01 expires 2027-05-31
  approved-by "{s}" kill-switch ai-egress log justification "{s}" owner "{s}" }}
firewall fw {{ backend nftables interface eth0 zone internet interface eth1 zone scan }}
''')
# The same without the bad network, so the whole pipeline runs and AIX-011
# quotes the approver.
write(f"{d}/strings-ok.nsp",
      open(f"{d}/strings.nsp", encoding="utf-8").read().replace("/33", "/24"))
# An include path holding every control but NUL (a file name cannot hold it).
p = "".join(c for c in controls if c not in ("\x00", "\r"))
write(f"{d}/include-missing.nsp", f'include "x{p}.nsp"\n')
# A directory named with them, and a file in it with errors and warnings:
# every location names that directory.
write(f"{d}/ctl{p}/rules.nsp", "zone a { kind nope }\nzone b { kind dmz networks 10.99.3.0/24 }\n")
write(f"{d}/include-dir.nsp", f'include "ctl{p}/rules.nsp"\n')
PY
cd "$in" || exit 1

# clean FILE: no control byte but tab and newline, no C1 (UTF-8 C2 80..9F).
clean() { ! LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' "$1"; }
# run NAME CMD...: CMD must exit 0 or 1 and print only clean text.
run() {
  local name=$1; shift
  "$@" >"$work/stdout" 2>"$work/stderr"
  local rc=$?
  if [ "$rc" -le 1 ]; then ok "$name exits $rc"; else bad "$name (exit $rc)"; head -c 1000 "$work/stderr"; echo; fi
  if clean "$work/stderr" && clean "$work/stdout"; then ok "$name: no control character"; else
    bad "$name: control character in the output"; cat -v "$work/stderr" | head -c 600; echo; fi
}
# diagnosed NAME REGEX: the last run's stderr matches REGEX (the check is not vacuous).
diagnosed() {
  if grep -aEq -- "$2" "$work/stderr"; then ok "$1"; else
    bad "$1 (no /$2/ in stderr)"; head -c 600 "$work/stderr" | cat -v; echo; fi
}

for f in outside-*.nsp; do
  run "check $f" "$netsep" check "$f" $asof
done
diagnosed "a C1 control outside a string is E101" "error\[E101\]: unexpected character '\?\?'"
for f in strings.nsp strings-ok.nsp include-missing.nsp include-dir.nsp; do
  run "check $f" "$netsep" check "$f" $asof
  case $f in
  strings.nsp) diagnosed "strings: the error quotes the line" "error\[E303\].*" ;;
  strings-ok.nsp) diagnosed "strings: AIX-011 quotes the approver" "AIX-011.*approved by '\?+" ;;
  include-missing.nsp) diagnosed "include path: E102 quotes it" "error\[E102\]: cannot include 'x\?+" ;;
  include-dir.nsp) diagnosed "included file: its location is shown" "^ctl\?+/rules.nsp:1:[0-9]+: error" ;;
  esac
  run "check --format text $f (stdout)" "$netsep" check "$f" --format text $asof
  run "compile $f" "$netsep" compile "$f" -o "$work/out" $asof
  run "paths $f" "$netsep" paths "$f" $asof
  run "audit -o $f" "$netsep" audit "$f" -o "$work/audit.txt" $asof
  for fmt in text html json sarif; do
    run "audit --format $fmt $f (stdout)" "$netsep" audit "$f" --format "$fmt" $asof
    if [ "$f" = strings-ok.nsp ]; then
      case $fmt in
      text) want='Provider: +\?+' ;;
      html) want='<th>Provider</th><td>\?+' ;;
      *) want='\\u001b\[2J.*\\u009b' ;;
      esac
      if grep -aEq -- "$want" "$work/stdout"; then ok "audit $fmt shows the strings cleaned"; else
        bad "audit $fmt: no /$want/ in the report"; head -c 800 "$work/stdout" | cat -v; echo; fi
    fi
  done
  run "killswitch $f" "$netsep" killswitch "$f" ai-egress -o "$work/ks" $asof
  run "fmt --check $f" "$netsep" fmt --check "$f"
done
finish
