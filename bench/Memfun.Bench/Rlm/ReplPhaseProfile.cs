using System.Diagnostics;
using System.Runtime.Loader;
using Memfun.Engine.Repl.Host;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Memfun.Bench.Rlm;

/// <summary>
/// In-process split of one small REPL step into Roslyn's phases, with the host's script options and globals:
/// creating the compilation (parse), binding (diagnostics), emitting, loading the assembly, running. Each
/// phase is timed on a throw-away copy of the next submission, so the chain itself advances unchanged. Before
/// that, the chain with Roslyn's concurrent build against the host's sequential one; after it, Roslyn's stock
/// metadata resolver against the host's options (CPU, GCs and allocation per step). Run it under the host's JIT
/// setting: <c>DOTNET_TieredCompilation=0 dotnet Memfun.Bench.dll rlm phases [steps] [chain]</c>; with
/// <c>chain</c> it runs only the host's path, for a profiler.
/// </summary>
internal static class ReplPhaseProfile
{
    public static async Task RunAsync(int steps, bool chainOnly = false)
    {
        var options = ReplScriptOptions.Create();
        if (chainOnly)
        {
            // Only the host's path (for a profiler: `perf record -p`): the same steps chained, nothing else.
            var st = await CSharpScript.RunAsync<object>("var w = 0;", options, new ReplGlobals(new ReplOptionsProfile.NoChannel()), typeof(ReplGlobals));
            for (var i = 1; i <= steps; i++)
            {
                var script = st.Script.ContinueWith<object>($"var s{i % 20} = Enumerable.Range(0, 100).Select(n => n * {i}).Sum(); s{i % 20} % 7", options);
                SequentialCompilation.Apply(script);
                st = await script.RunFromAsync(st);
                if (i % 100 == 0)
                {
                    // A host is recycled every 100 steps: so is this chain.
                    st = await CSharpScript.RunAsync<object>("var w = 0;", options, new ReplGlobals(new ReplOptionsProfile.NoChannel()), typeof(ReplGlobals));
                }
            }

            return;
        }

        // The same chain with Roslyn's concurrent build (the scripting API's default) and without (the host's);
        // the first pass also pays the compiler's JIT.
        foreach (var concurrent in new[] { true, false, true, false })
        {
            var st = await CSharpScript.RunAsync<object>("var w = 0;", options, new ReplGlobals(new ReplOptionsProfile.NoChannel()), typeof(ReplGlobals));
            var wall = new List<double>();
            var me0 = Process.GetCurrentProcess();
            var cpu0 = me0.TotalProcessorTime;
            for (var i = 1; i <= steps; i++)
            {
                var sw = Stopwatch.StartNew();
                var script = st.Script.ContinueWith<object>($"var s{i % 20} = Enumerable.Range(0, 100).Select(n => n * {i}).Sum(); s{i % 20} % 7", options);
                if (!concurrent && !SequentialCompilation.Apply(script))
                {
                    throw new InvalidOperationException("SequentialCompilation does not work with this Roslyn.");
                }

                st = await script.RunFromAsync(st);
                wall.Add(sw.Elapsed.TotalMilliseconds);
            }

            me0.Refresh();
            Console.WriteLine($"concurrent build {concurrent}: p50 {P(wall, 0.5):F2} ms, p90 {P(wall, 0.9):F2}; CPU {(me0.TotalProcessorTime - cpu0).TotalMilliseconds / steps:F1} ms/step");
        }

        var state = await CSharpScript.RunAsync<object>("var w = 0;", options, new ReplGlobals(new ReplOptionsProfile.NoChannel()), typeof(ReplGlobals));
        for (var i = 0; i < 20; i++)
        {
            state = await state.ContinueWithAsync<object>($"var w{i % 5} = {i};", options);
        }

        var names = new[] { "create compilation (parse)", "bind (GetDiagnostics)", "emit (Debug, concurrent)", "emit (Debug, not concurrent)", "emit (Release, not concurrent)", "load (ALC from stream)", "Script.Compile (whole build)", "run (RunFromAsync after Compile)", "ContinueWithAsync (all of it)" };
        var times = names.ToDictionary(n => n, _ => new List<double>());
        var me = Process.GetCurrentProcess();
        var alc = new AssemblyLoadContext("profile", isCollectible: true);
        for (var i = 1; i <= steps; i++)
        {
            var code = $"var s{i % 20} = Enumerable.Range(0, 100).Select(n => n * {i}).Sum(); s{i % 20} % 7";

            // Throw-away copies: each phase alone on a fresh compilation of the same submission.
            var sw = Stopwatch.StartNew();
            var c1 = (CSharpCompilation)state.Script.ContinueWith<object>(code, options).GetCompilation();
            times[names[0]].Add(sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            _ = c1.GetDiagnostics();
            times[names[1]].Add(sw.Elapsed.TotalMilliseconds);

            var c2 = (CSharpCompilation)state.Script.ContinueWith<object>(code, options).GetCompilation();
            using var pe = new MemoryStream();
            sw.Restart();
            var r = c2.Emit(pe);
            times[names[2]].Add(sw.Elapsed.TotalMilliseconds);
            if (!r.Success)
            {
                throw new InvalidOperationException(string.Join("\n", r.Diagnostics));
            }

            var c3 = (CSharpCompilation)state.Script.ContinueWith<object>(code, options).GetCompilation();
            c3 = c3.WithOptions(c3.Options.WithConcurrentBuild(false));
            using var pe3 = new MemoryStream();
            sw.Restart();
            _ = c3.Emit(pe3);
            times[names[3]].Add(sw.Elapsed.TotalMilliseconds);

            var c4 = (CSharpCompilation)state.Script.ContinueWith<object>(code, options).GetCompilation();
            c4 = c4.WithOptions(c4.Options.WithConcurrentBuild(false).WithOptimizationLevel(OptimizationLevel.Release));
            using var pe4 = new MemoryStream();
            sw.Restart();
            _ = c4.Emit(pe4);
            times[names[4]].Add(sw.Elapsed.TotalMilliseconds);

            pe.Position = 0;
            sw.Restart();
            _ = alc.LoadFromStream(pe);
            times[names[5]].Add(sw.Elapsed.TotalMilliseconds);

            // The real chain: compile, then run.
            var script = state.Script.ContinueWith<object>(code, options);
            sw.Restart();
            _ = script.Compile();
            times[names[6]].Add(sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            var next = await script.RunFromAsync(state);
            times[names[7]].Add(sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            _ = await state.ContinueWithAsync<object>(code, options);
            times[names[8]].Add(sw.Elapsed.TotalMilliseconds);
            state = next;
        }

        Console.WriteLine();
        Console.WriteLine($"## phases of a small step, host options + globals, in process ({steps} steps after 20; tiered compilation {(Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") == "0" ? "off" : "on")})");
        foreach (var n in names)
        {
            Console.WriteLine($"{n}: p50 {P(times[n], 0.5):F2} ms, p90 {P(times[n], 0.9):F2}");
        }

        // Before/after of the reference handling: Roslyn's stock resolver (every submission re-resolves the named
        // framework references into new objects and binds the host assembly's whole dependency closure) against the host's.
        var stock = ReplScriptOptions.CreateWithStockResolver();
        foreach (var (label, o) in new[] { ("stock resolver", stock), ("host options", options), ("stock resolver", stock), ("host options", options) })
        {
            await ReplOptionsProfile.RunOneAsync(label, o, new ReplGlobals(new ReplOptionsProfile.NoChannel()), steps);
        }
    }

    private static double P(List<double> values, double p) => ReplBench.Percentile(values, p);
}
