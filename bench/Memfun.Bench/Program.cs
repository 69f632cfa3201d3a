// Benchmark suites, one per area: `dotnet run -c Release --project bench/Memfun.Bench -- <suite> [args]`.
var suites = new Dictionary<string, Func<string[], Task<int>>>(StringComparer.OrdinalIgnoreCase)
{
    ["interop"] = Memfun.Bench.Interop.InteropBench.RunAsync,
};

if (args.Length == 0 || !suites.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"usage: dotnet run -c Release --project bench/Memfun.Bench -- <suite> [args]\nsuites: {string.Join(", ", suites.Keys)}");
    return 2;
}

return await run(args[1..]);
