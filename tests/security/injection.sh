#!/usr/bin/env bash
# No policy text can inject a line, a rule or a command into a generated
# config (docs/reference.md). Compiles, for all six backends and the kill switch:
#   benign   plain strings and names (the reference)
#   hostile  every string field (owner, justification, idp, group, provider,
#            screening, basis, approved-by, because, ticket) holding quotes,
#            backslashes, shell/nft/iptables metacharacters and control
#            characters, rules in an include under a directory named with the
#            same characters, and a top-level file name containing a newline
#   names    every name spelled with the odd characters WORD allows (* / : .)
# then checks (check_injection.py) that each output has the reference's files
# and line counts, no control characters, and every payload marker inside a
# comment; and that nft -c, iptables-restore --test and ip6tables-restore
# --test accept the nftables and iptables output (with the sets of
# ipset.rules created first, in a private network namespace). Reports (JSON, SARIF, HTML)
# must stay well-formed and never carry raw markup from a string.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
python3 "$src/security/gen_injection.py" "$work"
hostile_top=$(find "$work/hostile" -maxdepth 1 -type f -name 'top*')
check=$src/security/check_injection.py

compile_all() { # VARIANT POLICY GROUP
  expect_rc "$1: compile exits 0" 0 "$netsep" compile "$2" -o "$work/out-$1" $asof
  expect_rc "$1: killswitch exits 0" 0 "$netsep" killswitch "$2" "$3" -o "$work/ks-$1" $asof
}
compile_all benign "$work/benign/policy.nsp" ai-egress
compile_all hostile "$hostile_top" ai-egress
compile_all names "$work/names/policy.nsp" 'ai/*eg*/ress:.'

for kind in out ks; do
  if python3 "$check" "$work/$kind-benign" "$work/$kind-hostile" --markers; then
    ok "$kind: hostile strings stay inside comments, no line added"; else
    bad "$kind: hostile strings escaped a comment or added lines"; fi
  # Names differ between the trees, so only structure and characters are compared.
  if python3 "$check" "$work/$kind-benign" "$work/$kind-names" 2>&1 | grep -v '^different files' >"$work/names.log" &&
    [ -s "$work/names.log" ]; then
    bad "$kind: odd names changed the structure"; cat "$work/names.log"; else
    ok "$kind: odd names keep the structure"; fi
done
# Strings (owner, justification, idp, group, provider, screening, basis,
# approver, waiver reason and ticket: markers INJ1, INJ2, ...) are never
# emitted into a config, not even into a comment; only the traces
# (rule name, file:line, so the directory marker INJDIR) are.
if grep -rlE "INJ[0-9]" "$work/out-hostile" "$work/ks-hostile" >"$work/strings.log"; then
  bad "policy strings are emitted into configs"; head -5 "$work/strings.log"; else
  ok "no policy string in any config or kill-switch script"; fi
if grep -rq "INJ" "$work/out-hostile" && grep -rq "INJDIR" "$work/out-hostile"; then
  ok "payload markers reach the outputs (the check above is not vacuous)"; else
  echo "note: no payload marker in the outputs (strings are not emitted)"; ok "outputs carry no string"; fi

# The real parsers accept the outputs.
for v in hostile names; do
  # A kill-switch script applies to the loaded config: check it in one
  # transaction after the config it belongs to.
  for f in "$work"/out-$v/*/nftables.nft "$work"/ks-$v/*/nftables-killswitch-*.nft; do
    [ -f "$f" ] || continue
    if ! command -v nft >/dev/null || ! nft -c -f /dev/null 2>/dev/null; then
      echo "SKIP nft -c (nft unavailable)"; continue; fi
    case $f in
    */ks-*) cat "$(dirname "${f/\/ks-$v\//\/out-$v\/}")/nftables.nft" "$f" >"$work/combined.nft" ;;
    *) cp "$f" "$work/combined.nft" ;;
    esac
    if nft -c -f "$work/combined.nft" >"$work/nft.log" 2>&1; then ok "$v: nft -c accepts $(basename "$f")"; else
      bad "$v: nft -c rejects $(basename "$f")"; head -20 "$work/nft.log"; fi
  done
  for pair in "iptables-restore iptables.rules" "ip6tables-restore ip6tables.rules"; do
    set -- $pair
    for f in "$work"/out-$v/*/"$2"; do
      if command -v "$1" >/dev/null && "$1" --test </dev/null 2>/dev/null; then
        # Rules that match the catch-all's declared ipsets need them to
        # exist: create them (ipset.rules) in a private network namespace of
        # this command only, never in the host's.
        sets=$(dirname "$f")/ipset.rules
        if [ -f "$sets" ]; then
          set -- "$1" "$2" unshare --net sh -c 'ipset restore <"$1" && "$2" --test "$3"' sh "$sets" "$1" "$f"
        else
          set -- "$1" "$2" "$1" --test "$f"
        fi
        if "${@:3}" >"$work/ipt.log" 2>&1; then ok "$v: $1 --test accepts $2"; else
          bad "$v: $1 --test rejects $2"; head -20 "$work/ipt.log"; fi
      else
        echo "SKIP $1 --test (unavailable or not permitted)"
      fi
    done
  done
done

# Reports: machine formats parse, HTML escapes every string.
for fmt in json sarif html; do
  "$netsep" audit "$hostile_top" --format "$fmt" $asof >"$work/audit.$fmt" 2>"$work/audit.err"
  rc=$?
  if [ "$rc" -le 1 ]; then ok "audit --format $fmt exits $rc"; else bad "audit --format $fmt exits $rc"; fi
done
for fmt in json sarif; do
  if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$work/audit.$fmt"; then
    ok "audit $fmt is valid JSON"; else bad "audit $fmt is not valid JSON"; fi
done
"$netsep" check "$hostile_top" --format json $asof >"$work/check.json" 2>/dev/null
if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$work/check.json"; then
  ok "check --format json is valid JSON"; else bad "check json is not valid JSON"; fi
# The payload holds "| & > < '": escaped, none of it is markup.
if grep -q "INJ" "$work/audit.html" && ! grep -qF "| & > < '" "$work/audit.html" &&
  ! grep -qF '<script' "$work/audit.html"; then
  ok "audit html carries the strings, escaped"; else
  bad "audit html has a raw payload"; grep -o '.\{40\}INJ.\{40\}' "$work/audit.html" | head -5; fi
finish
