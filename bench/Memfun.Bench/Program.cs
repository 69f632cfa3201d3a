// Benchmark suites, one per area: `dotnet run -c Release --project bench/Memfun.Bench -- <suite> [options]`.
// To add a suite, add one line to the table below.
var suites = new SortedDictionary<string, Func<string[], Task<int>>>(StringComparer.Ordinal)
{
    ["search"] = Memfun.Bench.Search.SearchBenchmark.RunAsync,
};

if (args.Length == 0 || !suites.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"usage: Memfun.Bench <suite> [options]; suites: {string.Join(", ", suites.Keys)}");
    return 2;
}

return await run(args[1..]);
using BenchmarkDotNet.Running;

// Dispatcher: `dotnet run -c Release --project bench/Memfun.Bench -- <area> [args]`.
// Areas with their own harness are named here; anything else goes to BenchmarkDotNet's switcher.
return args.FirstOrDefault() switch
    "runtime" => await Memfun.Bench.Runtime.RuntimeBench.RunAsync(args[1..]),
    _ => RunBenchmarkDotNet(args),

static int RunBenchmarkDotNet(string[] args)
    BenchmarkSwitcher.FromAssembly(typeof(Memfun.Bench.Runtime.RuntimeBench).Assembly).Run(args);
    return 0;
using Memfun.Bench.Solver;

// Dispatcher: `dotnet run -c Release --project bench/Memfun.Bench -- <area>`; one line per area.
var area = args.Length > 0 ? args[0] : string.Empty;
return area switch
    "solver" => await SolverBench.RunAsync(args[1..]),
    _ => Usage(),

static int Usage()
    Console.Error.WriteLine("usage: Memfun.Bench <area> [options]\nareas: solver");
// Benchmarks by area: `dotnet run -c Release --project bench/Memfun.Bench -- <area>`.
using Memfun.Bench.Rlm;

var area = args.Length > 0 ? args[0] : "";
switch (area)
    case "rlm":
        return await ReplBench.RunAsync(args[1..]);
    default:
        Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Memfun.Bench -- <area>   (areas: rlm)");
        return 2;
// Benchmark dispatcher: dotnet run -c Release --project bench/Memfun.Bench -- <area> [options]
// Each area lives in its own folder and measures its named reference side by side in the same run.
var area = args.Length > 0 ? args[0].ToLowerInvariant() : string.Empty;
var rest = args.Skip(1).ToArray();
    case "memory":
        return await Memfun.Bench.Memory.MemoryBench.RunAsync(rest);
    case "web":
        return Memfun.Bench.Web.WebBench.Run(rest);
        Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Memfun.Bench -- memory|web");
