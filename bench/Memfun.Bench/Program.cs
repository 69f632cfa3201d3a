using Memfun.Bench.Solver;

// Dispatcher: `dotnet run -c Release --project bench/Memfun.Bench -- <area>`; one line per area.
var area = args.Length > 0 ? args[0] : string.Empty;
return area switch
{
    "solver" => await SolverBench.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Memfun.Bench <area> [options]\nareas: solver");
    return 2;
}
