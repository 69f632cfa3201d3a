// Benchmark dispatcher: dotnet run -c Release --project bench/Memfun.Bench -- <area> [options]
// Each area lives in its own folder and measures its named reference side by side in the same run.
var area = args.Length > 0 ? args[0].ToLowerInvariant() : string.Empty;
var rest = args.Skip(1).ToArray();
switch (area)
{
    case "memory":
        return await Memfun.Bench.Memory.MemoryBench.RunAsync(rest);
    case "web":
        return Memfun.Bench.Web.WebBench.Run(rest);
    default:
        Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Memfun.Bench -- memory|web");
        return 2;
}
