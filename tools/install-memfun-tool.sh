#!/usr/bin/env bash
# Packs memfun as a .NET tool and installs it, so that `memfun` is a command (and mcp.json.example
# works as written). Same as the README's install step:
#   dotnet pack src/Memfun.McpServer -c Release -o artifacts/package
#   dotnet tool install --global memfun --add-source artifacts/package
# This script adds a unique local version (so a re-install never picks a stale copy from the NuGet
# cache) and updates an existing install in place.
# Usage: tools/install-memfun-tool.sh [--tool-path DIR] [--configuration Debug|Release] [--no-build]
#   default: --global, Release, building first. ~/.dotnet/tools must be on PATH for --global.
set -euo pipefail
cd "$(dirname "$0")/.."

where=(--global)
config=Release
build=()
while [ $# -gt 0 ]; do
  case "$1" in
    --tool-path) where=(--tool-path "$2"); shift 2 ;;
    --configuration|-c) config="$2"; shift 2 ;;
    --no-build) build=(--no-build); shift ;;
    *) echo "install-memfun-tool: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

base="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -1)"
version="${base:-0.1.0}-local.$(date -u +%Y%m%d%H%M%S)"
out="artifacts/package"
mkdir -p "$out"
rm -f "$out"/memfun.*.nupkg

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet pack src/Memfun.McpServer -c "$config" "${build[@]}" -o "$out" -p:PackageVersion="$version" -nologo -v quiet >&2
dotnet tool update "${where[@]}" memfun --add-source "$out" --version "$version" --allow-downgrade >&2
echo "install-memfun-tool: installed memfun $version (${where[*]})" >&2
