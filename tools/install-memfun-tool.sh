#!/usr/bin/env bash
# Packs memfun as a .NET tool and installs it, so that `memfun` is a command (and mcp.json.example
# works as written). Same as the README's install step:
#   dotnet pack src/Memfun.McpServer -c Release -o artifacts/package
#   dotnet tool install --global memfun --add-source artifacts/package
# `dotnet pack` makes the RID-specific tool packages (src/Memfun.McpServer/ToolPackage.targets): a
# ReadyToRun one for linux-x64 (what gets installed on Linux x64: it starts much faster) and a portable
# one for every other platform; the R2R compile adds a minute or two to the pack.
# This script adds a unique local version (so a re-install never picks a stale copy from the NuGet
# cache) and updates an existing install in place.
# Usage: tools/install-memfun-tool.sh [--tool-path DIR] [--configuration Debug|Release] [--no-build]
#   default: --global, Release, building first. ~/.dotnet/tools must be on PATH for --global.
#   --no-build packs the portable package only, from the existing `dotnet build` output (no ReadyToRun:
#   a RID-specific pack builds its own linux-x64 binaries). The tests install it this way, in seconds.
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
if [ ${#build[@]} -gt 0 ]; then
  build+=(-p:MemfunReadyToRunTool=false)
fi
dotnet pack src/Memfun.McpServer -c "$config" "${build[@]}" -o "$out" -p:PackageVersion="$version" -nologo -v quiet >&2
dotnet tool update "${where[@]}" memfun --add-source "$out" --version "$version" --allow-downgrade >&2
echo "install-memfun-tool: installed memfun $version (${where[*]})" >&2
