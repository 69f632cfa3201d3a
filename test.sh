#!/usr/bin/env bash
# Runs every test: installs what the tests need (tools/install-test-deps.sh: Debian packages such as
# redis-server, nats-server and chromium; Node 22 and the MCP tools from npm), builds, then runs
# `dotnet test` on the whole solution.
# Usage: ./test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")"

bash tools/install-test-deps.sh

dotnet build Memfun.sln -c Release -nologo -v quiet
# The three test assemblies run side by side and their output interleaves; a failure's details are
# repeated at the end so the tail of a CI log always says what failed.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
dotnet test Memfun.sln -c Release --no-build -nologo "$@" 2>&1 | tee "$log" || status=$?
if [ "$status" -ne 0 ]; then
  echo
  echo "=== failed tests (repeated from above) ==="
  grep -E -A 14 '^\s+Failed [A-Za-z_]' "$log" | cut -c1-400 || echo "(no test failure found in the output; see the build or run errors above)"
fi
exit "$status"
