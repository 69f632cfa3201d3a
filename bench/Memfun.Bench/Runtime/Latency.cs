namespace Memfun.Bench.Runtime;

/// <summary>Percentiles of latency samples in microseconds.</summary>
internal static class Latency
{
    public static (double P50, double P99) Percentiles(List<double> samples)
    {
        samples.Sort();
        return (samples[samples.Count / 2], samples[Math.Min(samples.Count - 1, (int)(samples.Count * 0.99))]);
    }

    public static double MicrosSince(long startTimestamp) =>
        (System.Diagnostics.Stopwatch.GetTimestamp() - startTimestamp) * 1_000_000.0 / System.Diagnostics.Stopwatch.Frequency;
}
