using System.Diagnostics;
using System.Text.Json;
using Memfun.McpServer.Hosting;

namespace Memfun.Bench.Interop;

/// <summary>
/// What connecting memfun costs a host's model: the size of the <c>tools/list</c> answer, whole and its
/// model-facing part (names, titles, descriptions, input schemas), for the default and for each toolset
/// (<c>memfun serve --toolsets</c>), against the reference server <c>@modelcontextprotocol/server-filesystem</c>.
/// </summary>
/// <remarks>A size, not a time: one listing per configuration is exact. Needs a Release build and
/// <c>tools/install-node-tools.sh</c>. No arguments.</remarks>
public static class FootprintBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        _ = args;
        var repo = InteropBench.FindRepo();
        var node = Path.Combine(repo, ".tools", "node", "bin", "node");
        var reference = Path.Combine(repo, ".tools", "node_modules", "@modelcontextprotocol", "server-filesystem", "dist", "index.js");
        var dll = Path.Combine(repo, "src", "Memfun.McpServer", "bin", "Release", "net10.0", "memfun.dll");
        foreach (var f in new[] { node, reference, dll })
        {
            if (!File.Exists(f))
            {
                Console.Error.WriteLine($"missing {f}: run tools/install-node-tools.sh and dotnet build -c Release first.");
                return 1;
            }
        }

        var ws = Path.Combine(Path.GetTempPath(), $"memfun-footprint-{Guid.NewGuid():N}");
        Directory.CreateDirectory(ws);
        try
        {
            var rows = new List<(string Name, ToolListFootprint.Footprint Size)>
            {
                ("node server-filesystem (reference)", await ListAsync(node, [reference, ws], ws)),
                ("memfun, default (all toolsets)", await ListAsync("dotnet", [dll, "serve", "--workspace", ws], ws)),
                ("memfun --toolsets files,search,git (code only)", await ListAsync("dotnet", [dll, "serve", "--workspace", ws, "--toolsets", "files,search,git"], ws)),
            };
            foreach (var toolset in Toolsets.All)
            {
                rows.Add(($"memfun --toolsets {toolset}", await ListAsync("dotnet", [dll, "serve", "--workspace", ws, "--toolsets", toolset], ws)));
            }

            var referenceWhole = rows[0].Size.Whole;
            Console.WriteLine($"# tools/list footprint, {DateTime.UtcNow:u} (characters of compact JSON; model-facing = name, title, description, input schema)");
            Console.WriteLine("| server | tools | whole tools/list | model-facing | whole ÷ reference |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
            foreach (var (name, size) in rows)
            {
                Console.WriteLine($"| {name} | {size.Tools} | {size.Whole:N0} | {size.ModelFacing:N0} | {(double)size.Whole / referenceWhole:F2}× |");
            }

            return 0;
        }
        finally
        {
            Directory.Delete(ws, recursive: true);
        }
    }

    /// <summary>Starts a stdio server, initializes it, lists its tools and measures the answer.</summary>
    private static async Task<ToolListFootprint.Footprint> ListAsync(string command, string[] args, string ws)
    {
        var psi = new ProcessStartInfo(command) { WorkingDirectory = ws, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["MEMFUN_DASHBOARD__ENABLED"] = "false";
        using var p = Process.Start(psi)!;
        p.ErrorDataReceived += (_, _) => { };
        p.BeginErrorReadLine();
        try
        {
            await p.StandardInput.WriteLineAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}");
            await p.StandardInput.WriteLineAsync("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            await p.StandardInput.WriteLineAsync("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
            await p.StandardInput.FlushAsync();
            while (await p.StandardOutput.ReadLineAsync() is { } line)
            {
                using var message = JsonDocument.Parse(line);
                if (message.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && id.GetInt32() == 2)
                {
                    return ToolListFootprint.Measure(message.RootElement.GetProperty("result"));
                }
            }

            throw new InvalidOperationException($"{command} {string.Join(' ', args)} closed stdout before answering tools/list.");
        }
        finally
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }
    }
}
