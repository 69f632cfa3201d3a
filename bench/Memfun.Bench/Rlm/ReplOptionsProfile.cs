using System.Diagnostics;
using System.Text.Json.Nodes;
using Memfun.Engine.Repl.Host;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Memfun.Bench.Rlm;

/// <summary>
/// In-process split of a REPL step's cost by script options: the bench's minimal options against the
/// host's (references, imports, globals), each chained the same way; wall p50 and CPU per step.
/// </summary>
internal static class ReplOptionsProfile
{
    public static async Task RunAsync(int steps)
    {
        var minimal = ScriptOptions.Default.AddReferences(typeof(Enumerable).Assembly).AddImports("System", "System.Linq");
        var host = ReplScriptOptions.Create();
        Console.WriteLine();
        Console.WriteLine($"## in-process split by script options ({steps} steps each after 20 warm-up steps)");
        // The first run pays the compiler's JIT; the order alternates so that each kind runs warm once.
        await RunOneAsync("minimal options (JIT warm-up)", minimal, null, steps);
        await RunOneAsync("host options + ReplGlobals", host, new ReplGlobals(new NoChannel()), steps);
        await RunOneAsync("minimal options", minimal, null, steps);
        await RunOneAsync("host options, no globals", host, null, steps);
        await RunOneAsync("host options + ReplGlobals (again)", host, new ReplGlobals(new NoChannel()), steps);
    }

    /// <summary>Chains <paramref name="steps"/> small steps after 20 warm-up ones; prints wall p50/p95, CPU, GCs and allocation per step.</summary>
    internal static async Task RunOneAsync(string name, ScriptOptions options, ReplGlobals? globals, int steps)
    {
        var state = globals is null
            ? await CSharpScript.RunAsync<object>("var w = 0;", options)
            : await CSharpScript.RunAsync<object>("var w = 0;", options, globals, typeof(ReplGlobals));
        for (var i = 0; i < 20; i++)
        {
            state = await state.ContinueWithAsync<object>($"var w{i % 5} = {i};", options);
        }

        var wall = new List<double>();
        var me = Process.GetCurrentProcess();
        var cpu0 = me.TotalProcessorTime;
        var gc0 = GC.CollectionCount(0);
        var pause0 = GC.GetTotalPauseDuration();
        var alloc0 = GC.GetTotalAllocatedBytes();
        for (var i = 1; i <= steps; i++)
        {
            var sw = Stopwatch.StartNew();
            state = await state.ContinueWithAsync<object>($"var s{i % 20} = Enumerable.Range(0, 100).Select(n => n * {i}).Sum(); s{i % 20} % 7", options);
            wall.Add(sw.Elapsed.TotalMilliseconds);
        }

        me.Refresh();
        var cpu = (me.TotalProcessorTime - cpu0).TotalMilliseconds / steps;
        Console.WriteLine($"{name} ({state.Script.GetCompilation().ReferencedAssemblyNames.Count()} assemblies bound per submission): p50 {P(wall, 0.5):F1} ms, p95 {P(wall, 0.95):F1}; CPU {cpu:F1} ms/step; "
            + $"{(GC.CollectionCount(0) - gc0) / (double)steps:F2} GCs, {(GC.GetTotalPauseDuration() - pause0).TotalMilliseconds / steps:F2} ms paused, {(GC.GetTotalAllocatedBytes() - alloc0) / steps / 1024.0 / 1024:F1} MiB allocated per step");
    }

    private static double P(List<double> values, double p) => ReplBench.Percentile(values, p);

    /// <summary>A channel for in-process runs: no tool answers anything.</summary>
    internal sealed class NoChannel : IReplChannel
    {
        public JsonNode? Call(string tool, JsonObject arguments) => null;
    }
}
