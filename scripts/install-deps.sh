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
  nlohmann-json3-dev libssl-dev \
  nftables iptables ipset iproute2 python3 python3-yaml git iputils-ping graphviz time strace \
  clang libclang-rt-14-dev \
  chromium
# Node.js and npm run the editor-grammar test (vscode-textmate, pinned in
# tests/editor/package-lock.json). A Node.js that is already installed (for
# example a newer one that bundles npm) is kept: Debian's npm would conflict.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  $sudo apt-get install -y --no-install-recommends nodejs npm
fi
