#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian/Ubuntu machine; quick when everything is there.
#   apt: redis-server, nats-server (JetStream), git, chromium (Playwright drives Debian's build, never a
#        downloaded one), bsdutils (`script`, for the pseudo-terminal tests), tmux, bubblewrap (the REPL sandbox),
#        python3 (the eval suites' Python tasks run unittest)
#   npm: Node 22 and the MCP conformance suite, Inspector and reference server, into .tools/ (install-node-tools.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
command -v nats-server  >/dev/null 2>&1 || need_apt+=(nats-server)
command -v git          >/dev/null 2>&1 || need_apt+=(git)
[ -x /usr/lib/chromium/chromium ] || need_apt+=(chromium)
command -v script       >/dev/null 2>&1 || need_apt+=(bsdutils)
command -v tmux         >/dev/null 2>&1 || need_apt+=(tmux)
command -v bwrap        >/dev/null 2>&1 || need_apt+=(bubblewrap)
command -v npm          >/dev/null 2>&1 || need_apt+=(npm)
command -v python3      >/dev/null 2>&1 || need_apt+=(python3)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

bash tools/install-node-tools.sh
