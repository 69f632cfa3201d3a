using BenchmarkDotNet.Running;

// Dispatcher: `dotnet run -c Release --project bench/Memfun.Bench -- <area> [args]`.
// Areas with their own harness are named here; anything else goes to BenchmarkDotNet's switcher.
return args.FirstOrDefault() switch
{
    "runtime" => await Memfun.Bench.Runtime.RuntimeBench.RunAsync(args[1..]),
    _ => RunBenchmarkDotNet(args),
};

static int RunBenchmarkDotNet(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Memfun.Bench.Runtime.RuntimeBench).Assembly).Run(args);
    return 0;
}
