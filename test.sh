#!/usr/bin/env bash
# Runs every test: installs what the tests need (tools/install-test-deps.sh: Debian packages such as
# redis-server, nats-server and chromium; Node 22 and the MCP tools from npm), builds, then runs
# `dotnet test` on the whole solution.
# Usage: ./test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")"

bash tools/install-test-deps.sh

dotnet build Memfun.sln -c Release -nologo -v quiet
dotnet test Memfun.sln -c Release --no-build -nologo "$@"
