namespace Memfun.Bench.Runtime;

/// <summary>One measured line: ours beside the bare client doing the same work in the same run.</summary>
internal sealed record BenchResult(string Tier, string Scenario, string Side, double PerSecond, double? P50Us = null, double? P99Us = null)
{
    public override string ToString() =>
        $"| {Tier,-10} | {Scenario,-22} | {Side,-6} | {PerSecond,12:N0} /s | {(P50Us is { } p50 ? $"{p50,8:N0} µs" : "",11)} | {(P99Us is { } p99 ? $"{p99,8:N0} µs" : "",11)} |";
}
