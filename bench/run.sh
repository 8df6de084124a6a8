#!/bin/sh
# netsep benchmarks: generates the policies, runs check and compile several
# times each and prints medians against the issue-7 targets. See
# docs/performance.md. Usage (from the repository, after building):
#
#   bench/run.sh [--netsep build/netsep] [--runs 5] [--only 10k,100k,single,findings]
#
# Needs python3 and GNU time (/usr/bin/time, Debian package `time`); the nft
# load test of the single-firewall output needs root, nft and ip.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec python3 "$here/bench.py" "$@"
