#!/usr/bin/env bash
# Runs every test: installs what the tests need (Debian packages, Node 22 and the npm tools the
# interop tests drive), builds, then runs `dotnet test` on the whole solution.
# Usage: ./test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")"

need_apt=()
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
command -v nats-server  >/dev/null 2>&1 || need_apt+=(nats-server)
command -v git          >/dev/null 2>&1 || need_apt+=(git)
[ -x /usr/lib/chromium/chromium ] || need_apt+=(chromium)
command -v script       >/dev/null 2>&1 || need_apt+=(bsdutils)
command -v tmux         >/dev/null 2>&1 || need_apt+=(tmux)
command -v bwrap        >/dev/null 2>&1 || need_apt+=(bubblewrap)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  fi
fi

# Node 22 and the MCP tools (conformance suite, Inspector, reference server) live in .tools/.
if [ -f tools/install-node-tools.sh ]; then
  bash tools/install-node-tools.sh
fi

dotnet build Memfun.sln -c Release -nologo -v quiet
dotnet test Memfun.sln -c Release --no-build -nologo "$@"
