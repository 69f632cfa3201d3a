// Benchmark suites, one per area: `dotnet run -c Release --project bench/Memfun.Bench -- <suite> [options]`.
// To add a suite, add one line to the table below.
var suites = new SortedDictionary<string, Func<string[], Task<int>>>(StringComparer.Ordinal)
{
    ["interop"] = Memfun.Bench.Interop.InteropBench.RunAsync,
};

if (args.Length == 0 || !suites.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"usage: Memfun.Bench <suite> [options]; suites: {string.Join(", ", suites.Keys)}");
    return 2;
}

return await run(args[1..]);
