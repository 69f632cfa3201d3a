namespace Memfun.Bench.Runtime;

/// <summary>One measured line: ours beside the bare client doing the same work in the same run.</summary>
internal sealed record BenchResult(string Tier, string Scenario, string Side, double PerSecond, double? P50Us = null, double? P99Us = null)
{
    /// <summary>CPU time per operation, this process plus the server's (when the tier has one).</summary>
    public double? CpuUsPerOp { get; init; }

    public override string ToString()
    {
        var p50 = P50Us is { } a ? $"{a:N0} µs" : "";
        var p99 = P99Us is { } b ? $"{b:N0} µs" : "";
        var cpu = CpuUsPerOp is { } c ? $"{c:N1} µs" : "";
        return $"| {Tier,-10} | {Scenario,-22} | {Side,-6} | {PerSecond,12:N0} /s | {p50,11} | {p99,11} | {cpu,10} |";
    }
}
