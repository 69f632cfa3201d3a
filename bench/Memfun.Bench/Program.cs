// Benchmarks by area: `dotnet run -c Release --project bench/Memfun.Bench -- <area>`.
using Memfun.Bench.Rlm;

var area = args.Length > 0 ? args[0] : "";
switch (area)
{
    case "rlm":
        return await ReplBench.RunAsync(args[1..]);
    default:
        Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Memfun.Bench -- <area>   (areas: rlm)");
        return 2;
}
