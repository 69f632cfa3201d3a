using System.Diagnostics;
using System.Globalization;

namespace Memfun.Bench.Interop;

/// <summary>
/// <c>read_file</c> latency with the client the hosts embed: the TypeScript SDK client, driven by
/// <c>bench/ts-client/read-latency.mjs</c> under Node 22, against memfun and the reference server's
/// <c>read_text_file</c> on the same 6 KB file, calls alternating between the servers, several runs of fresh processes.
/// </summary>
/// <remarks>
/// Args: <c>[runs=5] [calls=300] [--install-tool | --tool DIR]</c>. <c>--install-tool</c> installs the .NET tool
/// the README's way (ReadyToRun on Linux x64) into a temp folder first; <c>--tool DIR</c> uses one installed there.
/// <c>dotnet memfun.dll</c> (the Release build) is always measured. Needs <c>tools/install-node-tools.sh</c>.
/// </remarks>
public static class TsClientBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var installTool = args.Contains("--install-tool");
        var toolIndex = Array.IndexOf(args, "--tool");
        var toolDir = toolIndex >= 0 && toolIndex + 1 < args.Length ? Path.GetFullPath(args[toolIndex + 1]) : null;
        var positional = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (toolIndex < 0 || i != toolIndex + 1)).ToArray();
        var runs = positional.Length > 0 ? int.Parse(positional[0], CultureInfo.InvariantCulture) : 5;
        var calls = positional.Length > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : 300;

        var repo = InteropBench.FindRepo();
        var node = Path.Combine(repo, ".tools", "node", "bin", "node");
        var reference = Path.Combine(repo, ".tools", "node_modules", "@modelcontextprotocol", "server-filesystem", "dist", "index.js");
        var dll = Path.Combine(repo, "src", "Memfun.McpServer", "bin", "Release", "net10.0", "memfun.dll");
        var driver = Path.Combine(repo, "bench", "ts-client", "read-latency.mjs");
        foreach (var f in new[] { node, reference, dll, driver })
        {
            if (!File.Exists(f))
            {
                Console.Error.WriteLine($"missing {f}: run tools/install-node-tools.sh and dotnet build -c Release first.");
                return 1;
            }
        }

        if (installTool)
        {
            toolDir = Path.Combine(Path.GetTempPath(), $"memfun-bench-tool-{Guid.NewGuid():N}");
            var (ok, seconds, output) = await InteropBench.InstallToolAsync(repo, toolDir);
            if (!ok)
            {
                Console.Error.WriteLine($"tools/install-memfun-tool.sh failed:\n{output}");
                return 1;
            }

            Console.WriteLine($"installed tool (ReadyToRun on linux-x64) in {seconds:F0} s");
        }

        var ws = Path.Combine(Path.GetTempPath(), $"memfun-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(ws);
        var file = Path.Combine(ws, "sample.cs");
        await File.WriteAllTextAsync(file, InteropBench.SampleText(6 * 1024));
        const string MemfunRead = "read_file|{\"path\":\"sample.cs\",\"force\":true}";
        var servers = new List<string>();
        if (toolDir is not null)
        {
            servers.Add($"memfun (installed tool)|{MemfunRead}|{Path.Combine(toolDir, "memfun")} serve --stdio --workspace {ws}");
        }

        servers.Add($"memfun (dotnet memfun.dll)|{MemfunRead}|dotnet {dll} serve --stdio --workspace {ws}");
        servers.Add($"node server-filesystem|read_text_file|{{\"path\":\"{file}\"}}|{node} {reference} {ws}");

        var psi = new ProcessStartInfo(node) { WorkingDirectory = ws, UseShellExecute = false };
        foreach (var a in (string[])[driver, "--runs", runs.ToString(CultureInfo.InvariantCulture), "--calls", calls.ToString(CultureInfo.InvariantCulture)])
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var s in servers)
        {
            psi.ArgumentList.Add("--server");
            psi.ArgumentList.Add(s);
        }

        // The servers get what the client's StdioClientTransport gives a server it starts, as in a host: its default
        // environment (HOME, PATH, USER, ...), nothing from here. So memfun runs as installed, dashboard included.
        Console.WriteLine($"# TypeScript-client read latency: {Environment.ProcessorCount} cores, load average {InteropBench.LoadAverage()}, {DateTime.UtcNow:u}");
        try
        {
            using var p = Process.Start(psi)!;
            await p.WaitForExitAsync();
            Console.WriteLine($"load average at the end: {InteropBench.LoadAverage()}");
            return p.ExitCode;
        }
        finally
        {
            Directory.Delete(ws, recursive: true);
            if (installTool && toolDir is not null)
            {
                Directory.Delete(toolDir, recursive: true);
            }
        }
    }
}
