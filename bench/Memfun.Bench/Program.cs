using BenchmarkDotNet.Running;

// Benchmark suites, one per area: `dotnet run -c Release --project bench/Memfun.Bench -- <suite> [options]`.
// Each suite measures its named reference side by side in the same run. To add a suite, add one line below;
// `files` (and any other BenchmarkDotNet class) runs through BenchmarkDotNet's switcher.
var suites = new SortedDictionary<string, Func<string[], Task<int>>>(StringComparer.Ordinal)
{
    ["search"] = Memfun.Bench.Search.SearchBenchmark.RunAsync,
    ["runtime"] = Memfun.Bench.Runtime.RuntimeBench.RunAsync,
    ["server-kill"] = Memfun.Bench.Runtime.ServerKillLoop.RunAsync,
    ["worker-scaling"] = Memfun.Bench.Runtime.WorkerScalingBench.RunAsync,
    ["solver"] = Memfun.Bench.Solver.SolverBench.RunAsync,
    ["rlm"] = Memfun.Bench.Rlm.ReplBench.RunAsync,
    ["memory"] = Memfun.Bench.Memory.MemoryBench.RunAsync,
    ["dashboard"] = Memfun.Bench.Dashboard.DashboardLatencyBench.RunAsync,
    ["web"] = rest => Task.FromResult(Memfun.Bench.Web.WebBench.Run(rest)),
    ["webcorpus"] = rest => Task.FromResult(Memfun.Bench.Web.WebCorpusBench.Run(rest)),
    ["interop"] = Memfun.Bench.Interop.InteropBench.RunAsync,
    ["edits"] = Memfun.Bench.Files.EditCorpusBench.RunAsync,
    ["footprint"] = Memfun.Bench.Interop.FootprintBench.RunAsync,
    ["tsclient"] = Memfun.Bench.Interop.TsClientBench.RunAsync,
    ["workflow"] = Memfun.Bench.Workflow.WorkflowBench.RunAsync,
    ["files"] = rest =>
    {
        BenchmarkSwitcher.FromAssembly(typeof(Memfun.Bench.Files.FileToolsBenchmarks).Assembly).Run(rest);
        return Task.FromResult(0);
    },
};

if (args.Length == 0 || !suites.TryGetValue(args[0].ToLowerInvariant(), out var run))
{
    Console.Error.WriteLine($"usage: dotnet run -c Release --project bench/Memfun.Bench -- <suite> [options]; suites: {string.Join(", ", suites.Keys)}");
    return 2;
}

return await run(args[1..]);
