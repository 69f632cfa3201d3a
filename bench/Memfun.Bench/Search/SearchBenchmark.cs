using System.Diagnostics;
using System.Globalization;
using Memfun.Tools.CodeMap;
using Memfun.Tools.Search;
using Memfun.Tools.Workspace;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Memfun.Bench.Search;

/// <summary>
/// Warm <c>search</c> (in process and over stdio through the real server) against <c>rg</c> on the same
/// tree and pattern, and <c>code_map</c> cold and after one changed file, against universal-ctags on the
/// same files. Options: --tree DIR (default /tmp/memfun-bench/search-tree), --runs N (default 10), --no-mcp.
/// </summary>
internal static class SearchBenchmark
{
    private static readonly (string Name, string Pattern, bool Literal, bool CaseSensitive)[] Patterns =
    [
        ("regex", @"function\s+\w+Async", false, true),
        ("literal", "Observable", true, true),
        ("literal, ignore case", "deprecated", true, false),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var tree = Option(args, "--tree") ?? "/tmp/memfun-bench/search-tree";
        var runs = int.Parse(Option(args, "--runs") ?? "10", CultureInfo.InvariantCulture);
        var mcp = !args.Contains("--no-mcp");
        tree = await BenchTree.EnsureAsync(Path.GetFullPath(tree));

        var guard = new PathGuard(tree);
        var walker = new WorkspaceWalker(guard);
        var files = walker.Walk();
        var walkTimes = new List<double>();
        var walkCpu = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var c0 = Cpu();
            var w = Stopwatch.StartNew();
            walker.Walk();
            walkTimes.Add(w.Elapsed.TotalMilliseconds);
            walkCpu.Add(Cpu() - c0);
        }

        Console.WriteLine($"Walk (list + stat every file, ignore rules): median {Median(walkTimes):0.0} ms wall, {Median(walkCpu):0} ms CPU");
        Console.WriteLine($"Tree: {tree}: {files.Count} files, {files.Sum(f => f.Length) / 1e6:0} MB; {Environment.ProcessorCount} cores; load {Load()}");
        Console.WriteLine();

        var searcher = new WorkspaceSearcher(walker, Options.Create(new SearchOptions()));
        Console.WriteLine("| search | rg wall median (ms) | rg CPU (ms) | memfun first call (ms) | memfun warm wall median (ms) | memfun warm CPU (ms) | matching lines rg / memfun |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---|");
        foreach (var (name, pattern, literal, caseSensitive) in Patterns)
        {
            var rgTimes = new List<double>();
            var rgCpu = new List<double>();
            var rgCount = 0;
            for (var i = 0; i < runs; i++)
            {
                var (ms, count, cpu) = await Rg(tree, pattern, literal, caseSensitive);
                rgTimes.Add(ms);
                rgCpu.Add(cpu);
                rgCount = count;
            }

            var query = new SearchQuery { Pattern = pattern, Literal = literal, CaseSensitive = caseSensitive };
            var sw = Stopwatch.StartNew();
            var first = searcher.Search(query);
            var firstMs = sw.Elapsed.TotalMilliseconds;
            var warm = new List<double>();
            var warmCpu = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var cpu0 = Cpu();
                sw.Restart();
                searcher.Search(query);
                warm.Add(sw.Elapsed.TotalMilliseconds);
                warmCpu.Add(Cpu() - cpu0);
            }

            Console.WriteLine($"| {name} `{pattern}` | {Median(rgTimes):0.0} | {Median(rgCpu):0} | {firstMs:0} | {Median(warm):0.0} | {Median(warmCpu):0} | {rgCount} / {first.TotalMatches} |");
        }

        if (mcp)
        {
            await OverStdio(tree, runs);
        }

        await CodeMap(tree);
        return 0;
    }

    private static async Task OverStdio(string tree, int runs)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "memfun.dll");
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "memfun",
            Command = "dotnet",
            Arguments = [dll, "serve", "--stdio", "--workspace", tree],
            WorkingDirectory = tree,
        });
        await using var client = await McpClient.CreateAsync(transport);
        Console.WriteLine();
        Console.WriteLine("| search over stdio (real server, SDK client) | rg median (ms) | memfun first call (ms) | memfun warm median (ms) |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, pattern, literal, caseSensitive) in Patterns)
        {
            var rgTimes = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                rgTimes.Add((await Rg(tree, pattern, literal, caseSensitive)).Ms);
            }

            var arguments = new Dictionary<string, object?> { ["pattern"] = pattern, ["literal"] = literal, ["case_sensitive"] = caseSensitive };
            var sw = Stopwatch.StartNew();
            var result = await client.CallToolAsync("search", arguments);
            var firstMs = sw.Elapsed.TotalMilliseconds;
            if (result.IsError == true)
            {
                throw new InvalidOperationException(string.Join("\n", result.Content.OfType<TextContentBlock>().Select(b => b.Text)));
            }

            var warm = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                sw.Restart();
                await client.CallToolAsync("search", arguments);
                warm.Add(sw.Elapsed.TotalMilliseconds);
            }

            Console.WriteLine($"| {name} `{pattern}` | {Median(rgTimes):0.0} | {firstMs:0} | {Median(warm):0.0} |");
        }
    }

    private static async Task CodeMap(string tree)
    {
        var db = Path.Combine(tree, ".memfun", "codemap.db");
        foreach (var f in new[] { db, db + "-wal", db + "-shm" })
        {
            if (File.Exists(f))
            {
                File.Delete(f);
            }
        }

        var guard = new PathGuard(tree);
        var walker = new WorkspaceWalker(guard);
        using var service = new CodeMapService(walker, Options.Create(new CodeMapOptions()));
        var cpuStart = Cpu();
        var sw = Stopwatch.StartNew();
        var cold = await service.MapAsync();
        var coldMs = sw.Elapsed.TotalMilliseconds;
        var coldCpu = Cpu() - cpuStart;
        var parsedFiles = cold.FilesParsed;

        var warmCpu0 = Cpu();
        sw.Restart();
        var warm = await service.MapAsync();
        var warmMs = sw.Elapsed.TotalMilliseconds;
        var warmCpu = Cpu() - warmCpu0;

        // Change one TypeScript file and map again.
        var target = walker.Walk().First(e => e.RelativePath.EndsWith(".ts", StringComparison.Ordinal) && e.Length > 10_000 && !e.RelativePath.EndsWith(".d.ts", StringComparison.Ordinal) || e.RelativePath.EndsWith("lodash/debounce.js", StringComparison.Ordinal));
        var original = await File.ReadAllTextAsync(target.FullPath);
        await File.AppendAllTextAsync(target.FullPath, "\nexport function memfunBenchProbe(a: number): number { return a; }\n");
        long parsedBefore = service.FilesParsed;
        var remapCpu0 = Cpu();
        sw.Restart();
        var after = await service.MapAsync();
        var remapMs = sw.Elapsed.TotalMilliseconds;
        var remapCpu = Cpu() - remapCpu0;
        var reparsed = service.FilesParsed - parsedBefore;
        await File.WriteAllTextAsync(target.FullPath, original);

        var renderCpu0 = Cpu();
        sw.Restart();
        var rendered = CodeMapService.Render(after, 20_000);
        var renderMs = sw.Elapsed.TotalMilliseconds;
        var renderCpu = Cpu() - renderCpu0;
        if (Environment.GetEnvironmentVariable("MEMFUN_BENCH_SHOW_MAP") == "1")
        {
            Console.WriteLine(rendered[..Math.Min(rendered.Length, 4000)]);
        }

        // A fresh service on the same database: the persisted cache after a restart.
        using var restarted = new CodeMapService(new WorkspaceWalker(new PathGuard(tree)), Options.Create(new CodeMapOptions()));
        var restartCpu0 = Cpu();
        sw.Restart();
        await restarted.MapAsync();
        var restartMs = sw.Elapsed.TotalMilliseconds;
        var restartCpu = Cpu() - restartCpu0;

        var (ctagsMs, ctagsCpu) = await Ctags(tree);
        Console.WriteLine();
        Console.WriteLine($"code_map on {cold.FilesScanned} source files, {parsedFiles} parsed, {cold.LineCount:N0} lines mapped, {cold.SymbolCount:N0} declarations, {cold.FilesSkipped} skipped (over 2 MB or minified):");
        Console.WriteLine();
        Console.WriteLine("| code_map | wall (ms) | CPU (ms) |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| cold (empty cache, parse everything, write SQLite) | {coldMs:0} | {coldCpu:0} |");
        Console.WriteLine($"| re-map, nothing changed | {warmMs:0} | {warmCpu:0} |");
        Console.WriteLine($"| re-map after one changed file ({reparsed} file re-parsed) | {remapMs:0} | {remapCpu:0} |");
        Console.WriteLine($"| render to 20 KB ({System.Text.Encoding.UTF8.GetByteCount(rendered)} bytes) | {renderMs:0} | {renderCpu:0} |");
        Console.WriteLine($"| new process state, cache loaded from .memfun/codemap.db | {restartMs:0} | {restartCpu:0} |");
        Console.WriteLine($"| reference: universal-ctags -R on the same JS/TS files (single thread) | {ctagsMs:0} | {ctagsCpu:0} |");
        _ = warm;
    }

    private static async Task<(double Ms, double CpuMs)> Ctags(string tree)
    {
        try
        {
            var output = Path.Combine(Path.GetTempPath(), $"memfun-bench-tags-{Environment.ProcessId}");
            var psi = new ProcessStartInfo("ctags", ["-R", "--languages=JavaScript,TypeScript", "-f", output, "."])
            {
                WorkingDirectory = tree,
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            var children0 = ChildrenCpu();
            var sw = Stopwatch.StartNew();
            using var p = Process.Start(psi)!;
            var e = p.StandardError.ReadToEndAsync();
            await p.StandardOutput.ReadToEndAsync();
            await p.WaitForExitAsync();
            await e;
            var ms = sw.Elapsed.TotalMilliseconds;
            File.Delete(output);
            return (ms, ChildrenCpu() - children0);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (-1, -1);
        }
    }

    private static async Task<(double Ms, int Count, double CpuMs)> Rg(string tree, string pattern, bool literal, bool caseSensitive)
    {
        var psi = new ProcessStartInfo("rg")
        {
            WorkingDirectory = tree,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Same files as memfun: .gitignore honoured outside git repositories too, hidden files searched.
        foreach (var a in (string[])["--no-require-git", "--hidden", "-n", "--no-heading", caseSensitive ? "-s" : "-i", .. literal ? ["-F"] : Array.Empty<string>(), "-e", pattern, "."])
        {
            psi.ArgumentList.Add(a);
        }

        var children0 = ChildrenCpu();
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var errTask = p.StandardError.ReadToEndAsync();
        var count = 0;
        while (await p.StandardOutput.ReadLineAsync() is not null)
        {
            count++;
        }

        await p.WaitForExitAsync();
        var ms = sw.Elapsed.TotalMilliseconds;
        await errTask;
        return (ms, count, ChildrenCpu() - children0);
    }

    /// <summary>CPU time of reaped child processes (user + system, /proc/self/stat cutime + cstime), in ms; 10 ms resolution.</summary>
    private static double ChildrenCpu()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After "pid (comm) ", field 3 (state) is index 0: cutime is field 16, cstime field 17.
        return (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) * 10.0;
    }

    private static double Cpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalMilliseconds;
    }

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static double Median(List<double> values)
    {
        var s = values.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[(s.Count / 2) - 1] + s[s.Count / 2]) / 2;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
