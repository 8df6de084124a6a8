#!/usr/bin/env bash
# Installs everything netsep needs to build and test on Debian 12.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
$sudo apt-get update
$sudo apt-get install -y --no-install-recommends \
  build-essential cmake ninja-build \
  antlr4 libantlr4-runtime-dev libfmt-dev libboost-graph-dev doctest-dev libcli11-dev \
  nlohmann-json3-dev \
  nftables iptables iproute2 python3 python3-yaml git iputils-ping graphviz time strace \
  clang libclang-rt-14-dev
