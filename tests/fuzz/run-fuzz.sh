#!/usr/bin/env bash
# Runs the libFuzzer target on the seed corpus.
#   run-fuzz.sh FUZZER SRC SECONDS [WORKDIR]  fuzz for SECONDS (corpus kept in WORKDIR)
#   run-fuzz.sh FUZZER SRC replay             run every seed and kept crash once
# Seeds: examples/*.nsp, tests/golden/cases/*.nsp, tests/errors/cases/*.nsp,
# tests/fuzz/seeds/*, tests/fuzz/regressions/*.nsp. New crashes are written to
# WORKDIR/artifacts/; minimise them (FUZZER -minimize_crash=1 -runs=10000 FILE)
# and keep them in tests/fuzz/regressions/.
set -euo pipefail
fuzzer=$1
src=$2
mode=$3
work=${4:-}
if [ -z "$work" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work/seeds" "$work/corpus" "$work/artifacts"
for f in "$src"/examples/*.nsp "$src"/tests/golden/cases/*.nsp "$src"/tests/errors/cases/*.nsp \
  "$src"/tests/fuzz/seeds/* "$src"/tests/fuzz/regressions/*.nsp; do
  [ -f "$f" ] || continue
  # Name by content so the same seed twice is one file.
  cp "$f" "$work/seeds/$(sha1sum <"$f" | cut -c1-16)"
done
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
if [ "$mode" = replay ]; then
  # Given files (not directories), libFuzzer runs each once and stops.
  "$fuzzer" -timeout=30 -rss_limit_mb=2048 "$work"/seeds/*
  exit
fi
"$fuzzer" -dict="$src/tests/fuzz/netsep.dict" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
  -max_total_time="$mode" -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
  "$work/corpus" "$work/seeds"
