#!/usr/bin/env bash
# Editor grammar test: installs the pinned vscode-textmate + vscode-oniguruma
# (tests/editor/package-lock.json) with `npm ci` into the build directory --
# once, again only when the lock file changes -- and runs highlight.test.mjs
# on Node's test runner. Usage: run.sh REPO_ROOT BUILD_DIR
set -eu
root=$1
dir=$2/editor-test
for tool in node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "FAIL: $tool is missing (scripts/install-deps.sh installs nodejs and npm)"; exit 1
  fi
done
mkdir -p "$dir"
if [ ! -d "$dir/node_modules" ] || ! cmp -s "$root/tests/editor/package-lock.json" "$dir/package-lock.json"; then
  cp "$root/tests/editor/package.json" "$root/tests/editor/package-lock.json" "$dir/"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
fi
NSP_ROOT=$root NSP_MODULES=$dir/node_modules exec node --test "$root/tests/editor/highlight.test.mjs"
