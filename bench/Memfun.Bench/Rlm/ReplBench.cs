using System.Diagnostics;
using System.Globalization;
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
        long peakRss = 0;
        for (var i = 1; i <= steps; i++)
        {
            var sw = Stopwatch.StartNew();
            var r = await s.ExecuteAsync($"var s{i % 20} = Enumerable.Range(0, 100).Select(n => n * {i}).Sum(); s{i % 20} % 7");
            sw.Stop();
            if (r.Outcome != ReplStepOutcome.Ok)
            {
                Console.WriteLine($"step {i} failed: {r.Outcome} {r.Error}");
                return;
            }

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

        Console.WriteLine($"overall p50 {Percentile(all, 0.5):F1} ms, p95 {Percentile(all, 0.95):F1} ms, max {all.Max():F0} ms; peak RSS {peakRss / (1024 * 1024)} MiB; recycles {s.Recycles}");
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
        for (var i = 1; i <= steps; i++)
        {
            var sw = Stopwatch.StartNew();
            state = await state.ContinueWithAsync<object>($"var s{i % 20} = Enumerable.Range(0, 100).Select(n => n * {i}).Sum(); s{i % 20} % 7", options);
            all.Add(sw.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine();
        Console.WriteLine($"## reference: Roslyn in this process (no child, no protocol), first {steps} steps after warm-up");
        Console.WriteLine($"p50 {Percentile(all, 0.5):F1} ms, p95 {Percentile(all, 0.95):F1} ms");
    }

    private static ReplSession Session(IReplToolHost tools, ReplOptions options)
    {
        var trace = new RlmTraceStore().Create("bench", null);
        return new ReplSession(trace.Id, options, tools, null, trace, NullLogger.Instance);
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

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
    }
}
