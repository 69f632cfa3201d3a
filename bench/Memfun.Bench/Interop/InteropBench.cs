using System.Diagnostics;
using System.Globalization;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Memfun.Bench.Interop;

/// <summary>
/// memfun over stdio against the Node reference server <c>@modelcontextprotocol/server-filesystem</c>,
/// in the same run, with the same client (the C# SDK's) and the same 6 KB file: cold start (process
/// launch to an initialized session) and <c>read_file</c> / <c>read_text_file</c> round-trip latency.
/// </summary>
/// <remarks>
/// A process-level measurement, so a plain harness rather than BenchmarkDotNet: each cold start is a
/// fresh process; starts alternate between the servers so machine noise hits both alike. Needs
/// <c>tools/install-node-tools.sh</c> (Node 22 + the reference server) and a Release build.
/// Args: <c>[starts=15] [reads=2000] [publish-dir] [--install-tool] [--tool DIR]</c>. <c>--install-tool</c> packs
/// and installs the .NET tool the README's way (<c>tools/install-memfun-tool.sh --tool-path</c>: the ReadyToRun
/// linux-x64 tool package, what a host launches as <c>memfun</c>) into a temp folder first and reports how long
/// that took; <c>--tool DIR</c> uses a tool already installed there. Either adds the installed <c>memfun</c> as a
/// server. A publish folder (e.g. <c>dotnet publish -r linux-x64 -p:PublishReadyToRun=true</c>) adds its
/// <c>memfun</c> too. The <c>dotnet build</c> output (apphost and <c>dotnet memfun.dll</c>) is always measured.
/// Cold start is reported to the initialized session (what the issue's target is about), to the answer of the
/// first <c>tools/list</c> after it (what a host does next; memfun builds its tools lazily, so this shows where
/// that cost went), and once more without the SDK client (launch, initialize, answer read, kill) with the
/// server's CPU time until the answer, which a loaded machine distorts less than wall time.
/// </remarks>
public static class InteropBench
{
    private const int SettleMs = 300;

    public static async Task<int> RunAsync(string[] args)
    {
        var installTool = args.Contains("--install-tool");
        var toolIndex = Array.IndexOf(args, "--tool");
        var toolDir = toolIndex >= 0 && toolIndex + 1 < args.Length ? Path.GetFullPath(args[toolIndex + 1]) : null;
        var positional = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (toolIndex < 0 || i != toolIndex + 1)).ToArray();
        var starts = positional.Length > 0 ? int.Parse(positional[0], CultureInfo.InvariantCulture) : 15;
        var reads = positional.Length > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : 2000;
        var published = positional.Length > 2 ? Path.GetFullPath(positional[2]) : null;

        var repo = FindRepo();
        string? installNote = null;
        if (installTool)
        {
            toolDir = Path.Combine(Path.GetTempPath(), $"memfun-bench-tool-{Guid.NewGuid():N}");
            var (ok, seconds, output) = await InstallToolAsync(repo, toolDir);
            if (!ok)
            {
                Console.Error.WriteLine($"tools/install-memfun-tool.sh failed:\n{output}");
                return 1;
            }

            installNote = $"installed tool: `tools/install-memfun-tool.sh --tool-path` (dotnet pack with the ReadyToRun compile + dotnet tool update) took {seconds:F0} s; `memfun` -> {ResolveLink(Path.Combine(toolDir, "memfun"))}";
        }

        var node = Path.Combine(repo, ".tools", "node", "bin", "node");
        var reference = Path.Combine(repo, ".tools", "node_modules", "@modelcontextprotocol", "server-filesystem", "dist", "index.js");
        var bin = Path.Combine(repo, "src", "Memfun.McpServer", "bin", "Release", "net10.0");
        foreach (var f in new[] { node, reference, Path.Combine(bin, "memfun.dll") })
        {
            if (!File.Exists(f))
            {
                Console.Error.WriteLine($"missing {f}: run tools/install-node-tools.sh and dotnet build -c Release first.");
                return 1;
            }
        }

        var ws = Path.Combine(Path.GetTempPath(), $"memfun-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(ws);
        var file = Path.Combine(ws, "sample.cs");
        await File.WriteAllTextAsync(file, SampleText(6 * 1024));

        var servers = new List<Server>
        {
            new("memfun (apphost)", Path.Combine(bin, "memfun"), ["serve", "--stdio", "--workspace", ws], "read_file", new() { ["path"] = "sample.cs", ["force"] = true }),
            new("memfun (dotnet memfun.dll)", "dotnet", [Path.Combine(bin, "memfun.dll"), "serve", "--stdio", "--workspace", ws], "read_file", new() { ["path"] = "sample.cs", ["force"] = true }),
            new("node server-filesystem", node, [reference, ws], "read_text_file", new() { ["path"] = file }),
        };
        if (published is not null)
        {
            servers.Insert(servers.Count - 1, new("memfun (publish: " + Path.GetFileName(published.TrimEnd('/')) + ")", Path.Combine(published, "memfun"), ["serve", "--stdio", "--workspace", ws], "read_file", new() { ["path"] = "sample.cs", ["force"] = true }));
        }

        if (toolDir is not null)
        {
            servers.Insert(0, new("memfun (installed tool)", Path.Combine(toolDir, "memfun"), ["serve", "--stdio", "--workspace", ws], "read_file", new() { ["path"] = "sample.cs", ["force"] = true }));
        }

        Console.WriteLine($"# interop bench: {Environment.ProcessorCount} cores, {starts} cold starts each, {reads} reads of a 6 KB file each, {DateTime.UtcNow:u}, load average {LoadAverage()}");
        if (installNote is not null)
        {
            Console.WriteLine(installNote);
        }

        Console.WriteLine();

        // Warm the OS file cache and the JIT'd client paths once per server, not measured.
        foreach (var s in servers)
        {
            await using var c = await ConnectAsync(s, ws);
        }

        var startTimes = servers.ToDictionary(s => s, _ => new List<double>());
        var listTimes = servers.ToDictionary(s => s, _ => new List<double>());
        for (var i = 0; i < starts; i++)
        {
            foreach (var s in servers)
            {
                var sw = Stopwatch.StartNew();
                var c = await ConnectAsync(s, ws);
                startTimes[s].Add(sw.Elapsed.TotalMilliseconds);
                await c.ListToolsAsync();
                listTimes[s].Add(sw.Elapsed.TotalMilliseconds);
                await c.DisposeAsync();
                // Let the server just closed finish exiting (memfun drains, stops its services) before the next
                // start, so it does not compete with it for the two cores.
                await Task.Delay(SettleMs);
            }
        }

        Console.WriteLine("## cold start: process launch to initialized session, and to the first tools/list answered (ms)");
        Console.WriteLine("| server | median | p90 | min | + tools/list median | ratio to the reference (median) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        var referenceMedian = Pct(startTimes[servers[^1]], 50);
        foreach (var s in servers)
        {
            var t = startTimes[s];
            Console.WriteLine($"| {s.Name} | {Pct(t, 50):F0} | {Pct(t, 90):F0} | {t.Min():F0} | {Pct(listTimes[s], 50):F0} | {Pct(t, 50) / referenceMedian:F2}× |");
        }

        // The same starts without the SDK client: launch, write initialize, read the answer line, then read the
        // child's CPU time (user + sys, /proc) and kill it. Less client overhead, and CPU is what load distorts least.
        var plainWall = servers.ToDictionary(s => s, _ => new List<double>());
        var plainCpu = servers.ToDictionary(s => s, _ => new List<double>());
        for (var i = 0; i < starts; i++)
        {
            foreach (var s in servers)
            {
                var (wall, cpu) = await PlainStartAsync(s, ws);
                plainWall[s].Add(wall);
                plainCpu[s].Add(cpu);
                await Task.Delay(SettleMs);
            }
        }

        Console.WriteLine();
        Console.WriteLine("## cold start, plain: launch -> initialize answer read (no SDK client), with the server's CPU time until then (ms)");
        Console.WriteLine("| server | wall median | wall ratio | CPU median | CPU ratio |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        var refWall = Pct(plainWall[servers[^1]], 50);
        var refCpu = Pct(plainCpu[servers[^1]], 50);
        foreach (var s in servers)
        {
            Console.WriteLine($"| {s.Name} | {Pct(plainWall[s], 50):F0} | {Pct(plainWall[s], 50) / refWall:F2}× | {Pct(plainCpu[s], 50):F0} | {Pct(plainCpu[s], 50) / refCpu:F2}× |");
        }

        Console.WriteLine();
        Console.WriteLine("## read latency: one tools/call round trip, same 6 KB file (ms)");
        Console.WriteLine("| server | tool | median | p99 | mean |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: |");
        foreach (var s in servers.Where(s => s.Name != "memfun (dotnet memfun.dll)"))
        {
            await using var c = await ConnectAsync(s, ws);
            string? problem;
            try
            {
                var first = await c.CallToolAsync(s.ReadTool, s.ReadArgs);
                problem = first.IsError == true ? string.Join(" ", first.Content.OfType<TextContentBlock>().Select(b => b.Text)) : null;
            }
            catch (ModelContextProtocol.McpProtocolException ex)
            {
                problem = ex.Message;
            }

            if (problem is not null)
            {
                Console.WriteLine($"| {s.Name} | {s.ReadTool} | not measured: {problem.ReplaceLineEndings(" ")} | | |");
                continue;
            }

            for (var i = 0; i < 200; i++)
            {
                await c.CallToolAsync(s.ReadTool, s.ReadArgs);
            }

            var times = new List<double>(reads);
            for (var i = 0; i < reads; i++)
            {
                var sw = Stopwatch.StartNew();
                await c.CallToolAsync(s.ReadTool, s.ReadArgs);
                times.Add(sw.Elapsed.TotalMilliseconds);
            }

            Console.WriteLine($"| {s.Name} | {s.ReadTool} | {Pct(times, 50):F3} | {Pct(times, 99):F3} | {times.Average():F3} |");
        }

        Console.WriteLine();
        Console.WriteLine($"load average at the end: {LoadAverage()}");
        Directory.Delete(ws, recursive: true);
        if (installTool && toolDir is not null)
        {
            Directory.Delete(toolDir, recursive: true);
        }

        return 0;
    }

    /// <summary>One start without the SDK client: wall time to the initialize answer and the child's CPU time then.</summary>
    private static async Task<(double WallMs, double CpuMs)> PlainStartAsync(Server s, string ws)
    {
        var psi = new ProcessStartInfo(s.Command) { WorkingDirectory = ws, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in s.Args)
        {
            psi.ArgumentList.Add(a);
        }

        const string Initialize = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}";
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        p.ErrorDataReceived += (_, _) => { };
        p.BeginErrorReadLine();
        await p.StandardInput.WriteLineAsync(Initialize);
        await p.StandardInput.FlushAsync();
        var line = await p.StandardOutput.ReadLineAsync();
        var wall = sw.Elapsed.TotalMilliseconds;
        var cpu = ProcessCpuMs(p.Id);
        p.Kill(entireProcessTree: true);
        await p.WaitForExitAsync();
        if (line is null || !line.Contains("\"result\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{s.Name} did not answer initialize: {line}");
        }

        return (wall, cpu);
    }

    /// <summary>utime + stime of a live process, from /proc/PID/stat (fields 14 and 15), in ms.</summary>
    private static double ProcessCpuMs(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state): utime is field 14, stime field 15; clock ticks are 100 per second on Linux.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    /// <summary>The README's install step into <paramref name="toolDir"/>: a full pack (ReadyToRun) and install.</summary>
    internal static async Task<(bool Ok, double Seconds, string Output)> InstallToolAsync(string repo, string toolDir)
    {
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = repo, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["tools/install-memfun-tool.sh", "--tool-path", toolDir])
        {
            psi.ArgumentList.Add(a);
        }

        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode == 0 && File.Exists(Path.Combine(toolDir, "memfun")), sw.Elapsed.TotalSeconds, await stdout + await stderr);
    }

    private static string ResolveLink(string path)
    {
        var target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true);
        return target is null ? path : Path.GetRelativePath(Path.GetDirectoryName(path)!, target.FullName);
    }

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static async Task<McpClient> ConnectAsync(Server s, string ws)
    {
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = s.Name,
            Command = s.Command,
            Arguments = s.Args,
            WorkingDirectory = ws,
            StandardErrorLines = _ => { },
        });
        // The initialize handshake for both: the reference server predates the 2026-07-28 revision.
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" });
    }

    private static double Pct(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    internal static string SampleText(int bytes)
    {
        var sb = new System.Text.StringBuilder();
        for (var i = 0; sb.Length < bytes; i++)
        {
            sb.Append("    public int Method").Append(i).Append("(int value) => value * ").Append(i).Append("; // line ").Append(i).Append('\n');
        }

        return sb.ToString(0, bytes);
    }

    internal static string FindRepo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Memfun.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    private sealed record Server(string Name, string Command, IList<string> Args, string ReadTool, Dictionary<string, object?> ReadArgs);
}
