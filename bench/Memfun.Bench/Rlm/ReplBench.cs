using System.Diagnostics;
using System.Globalization;
using Memfun.Engine.Repl;
using Memfun.Engine.Rlm;
using Memfun.Engine.Rlm.Traces;
using Memfun.Tools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Memfun.Bench.Rlm;

/// <summary>
/// REPL step latency and memory. A hand-rolled harness, not BenchmarkDotNet: what is measured is a
/// child process over its lifetime (cold start, 1,000 chained steps, recycling), not a method call.
/// The reference, side by side in the same run: the same steps on one process that is never recycled
/// (the plain chained ContinueWithAsync that MEASURED.md describes).
/// </summary>
internal static class ReplBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0 && args[0] == "profile")
        {
            await ReplOptionsProfile.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100);
            return 0;
        }

        if (args.Length > 0 && args[0] == "phases")
        {
            await ReplPhaseProfile.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100, args.Length > 2 && args[2] == "chain");
            return 0;
        }

        var steps = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        var referenceSteps = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
        var ws = Path.Combine(Path.GetTempPath(), "memfun-bench-rlm-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(ws);
        File.WriteAllText(Path.Combine(ws, "a.txt"), "hello\n");
        // The REPL's tools as the server composes them: the real workspace services over this folder.
        await using var provider = new ServiceCollection()
            .AddMemfunTools(o => o.Root = ws)
            .AddMemfunRlm()
            .BuildServiceProvider();
        var tools = provider.GetRequiredService<IReplToolHost>();
        try
        {
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");
            await ColdStartAsync(tools);
            await SeriesAsync(tools, "memfun, default limits (recycled every 100 steps, past 384 MiB heap or half the memory limit)", steps, recycle: true);
            if (referenceSteps > 0)
            {
                await SeriesAsync(tools, "reference: one process, never recycled", referenceSteps, recycle: false);
            }

            await InProcessAsync(Math.Min(steps, 200));
        }
        finally
        {
            Directory.Delete(ws, recursive: true);
        }

        return 0;
    }

    private static async Task ColdStartAsync(IReplToolHost tools)
    {
        var start = Stopwatch.StartNew();
        await using var s = Session(tools, new ReplOptions());
        await s.StartAsync();
        var ready = start.Elapsed;
        var first = Stopwatch.StartNew();
        await s.ExecuteAsync("var greeting = \"hello\"; greeting.Length");
        var firstStep = first.Elapsed;
        var tool = Stopwatch.StartNew();
        await s.ExecuteAsync("read_file(\"a.txt\").Length");
        Console.WriteLine($"sandbox: {s.SandboxMode}");
        Console.WriteLine($"start to ready (process start + warm-up compile): {ready.TotalMilliseconds:F0} ms");
        Console.WriteLine($"first step on a ready host: {firstStep.TotalMilliseconds:F0} ms; first tool step: {tool.Elapsed.TotalMilliseconds:F0} ms");
        Console.WriteLine($"start to first result: {(ready + firstStep).TotalMilliseconds:F0} ms");
        var named = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            var sw = Stopwatch.StartNew();
            await s.ExecuteAsync("greeting");
            named.Add(sw.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine($"a step that only names a variable (answered without compiling): p50 {Percentile(named, 0.5):F1} ms over 30");
    }

    private static async Task SeriesAsync(IReplToolHost tools, string name, int steps, bool recycle)
    {
        var options = new ReplOptions { MemoryLimitBytes = 8L << 30 };
        if (!recycle)
        {
            options.RecycleAfterSteps = int.MaxValue;
            options.RecycleAboveHeapBytes = long.MaxValue;
        }

        await using var s = Session(tools, options);
        await s.StartAsync();
        for (var i = 0; i < 20; i++)
        {
            await s.ExecuteAsync($"var w{i % 5} = {i};");
        }

        Console.WriteLine();
        Console.WriteLine($"## {name}: {steps} steps");
        Console.WriteLine("step | p50 ms (last 50) | p95 ms | host RSS MiB | managed heap MiB | recycles");
        var window = new List<double>();
        var all = new List<double>();
        var host = new List<double>();
        var script = new List<double>();
        long cpuTicks = 0;
        var cpuSteps = 0;
        long peakRss = 0;
        for (var i = 1; i <= steps; i++)
        {
            var pid = s.HostPid;
            var cpu0 = Cpu(pid);
            var sw = Stopwatch.StartNew();
            var r = await s.ExecuteAsync($"var s{i % 20} = Enumerable.Range(0, 100).Select(n => n * {i}).Sum(); s{i % 20} % 7");
            sw.Stop();
            if (r.Outcome != ReplStepOutcome.Ok)
            {
                Console.WriteLine($"step {i} failed: {r.Outcome} {r.Error}");
                return;
            }

            if (s.HostPid == pid && cpu0 >= 0 && Cpu(pid) is >= 0 and var cpu1)
            {
                cpuTicks += cpu1 - cpu0;
                cpuSteps++;
            }

            host.Add(r.HostDuration.TotalMilliseconds);
            script.Add(r.ScriptDuration.TotalMilliseconds);
            window.Add(sw.Elapsed.TotalMilliseconds);
            all.Add(sw.Elapsed.TotalMilliseconds);
            if (i % 50 == 0)
            {
                var rss = Rss(s.HostPid);
                peakRss = Math.Max(peakRss, rss);
                Console.WriteLine($"{i} | {Percentile(window, 0.5):F1} | {Percentile(window, 0.95):F1} | {rss / (1024 * 1024)} | {s.LastHeapBytes / (1024 * 1024)} | {s.Recycles}");
                window.Clear();
            }
        }

        Console.WriteLine($"overall p50 {Percentile(all, 0.5):F1} ms, p95 {Percentile(all, 0.95):F1} ms, max {all.Max():F0} ms; host CPU {cpuTicks * 10.0 / Math.Max(1, cpuSteps):F1} ms/step; peak RSS {peakRss / (1024 * 1024)} MiB; recycles {s.Recycles}");
        Console.WriteLine($"of which in the host p50 {Percentile(host, 0.5):F1} ms (compile + run of the submission p50 {Percentile(script, 0.5):F1} ms); protocol and parent p50 {Percentile([.. all.Zip(host, (a, h) => a - h)], 0.5):F1} ms");
    }

    /// <summary>The floor: the same small steps chained in this process, no protocol, no child.</summary>
    private static async Task InProcessAsync(int steps)
    {
        var options = Microsoft.CodeAnalysis.Scripting.ScriptOptions.Default.AddReferences(typeof(Enumerable).Assembly).AddImports("System", "System.Linq");
        var state = await Microsoft.CodeAnalysis.CSharp.Scripting.CSharpScript.RunAsync<object>("var w = 0;", options);
        for (var i = 0; i < 20; i++)
        {
            state = await state.ContinueWithAsync<object>($"var w{i % 5} = {i};", options);
        }

        var all = new List<double>();
        var me = Process.GetCurrentProcess();
        var cpu0 = me.TotalProcessorTime;
        for (var i = 1; i <= steps; i++)
        {
            var sw = Stopwatch.StartNew();
            state = await state.ContinueWithAsync<object>($"var s{i % 20} = Enumerable.Range(0, 100).Select(n => n * {i}).Sum(); s{i % 20} % 7", options);
            all.Add(sw.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine();
        Console.WriteLine($"## reference: Roslyn in this process (no child, no protocol), first {steps} steps after warm-up");
        me.Refresh();
        Console.WriteLine($"p50 {Percentile(all, 0.5):F1} ms, p95 {Percentile(all, 0.95):F1} ms; CPU {(me.TotalProcessorTime - cpu0).TotalMilliseconds / steps:F1} ms/step");
    }

    private static ReplSession Session(IReplToolHost tools, ReplOptions options)
    {
        // Before/after: MEMFUN_BENCH_REPL_DLL=/path/to/memfun.dll runs that build's host instead of this one's.
        if (Environment.GetEnvironmentVariable("MEMFUN_BENCH_REPL_DLL") is { Length: > 0 } dll)
        {
            var dotnet = new ReplLauncher(options).HostCommand()[0];
            foreach (var c in new[] { dotnet, dll, "repl-host" })
            {
                options.HostCommand.Add(c);
            }
        }

        // Experiments: MEMFUN_BENCH_REPL_ENV="A=1 B=2" runs the host under `env A=1 B=2 ...`.
        if (Environment.GetEnvironmentVariable("MEMFUN_BENCH_REPL_ENV") is { Length: > 0 } extra)
        {
            var command = new ReplLauncher(options).HostCommand();
            options.HostCommand.Clear();
            options.HostCommand.Add("/usr/bin/env");
            foreach (var e in extra.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                options.HostCommand.Add(e);
            }

            foreach (var c in command)
            {
                options.HostCommand.Add(c);
            }
        }

        var trace = new RlmTraceStore().Create("bench", null);
        return new ReplSession(trace.Id, options, tools, null, trace, NullLogger.Instance);
    }

    /// <summary>User + system CPU of a process in clock ticks (1/100 s), or -1.</summary>
    private static long Cpu(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private static long Rss(int pid)
    {
        try
        {
            return long.Parse(File.ReadAllText($"/proc/{pid}/statm").Split(' ')[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    internal static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
    }
}
