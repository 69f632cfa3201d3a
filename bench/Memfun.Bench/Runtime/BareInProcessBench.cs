using System.Diagnostics;
using System.Threading.Channels;

namespace Memfun.Bench.Runtime;

/// <summary>The bare reference for the in-process tier: a <see cref="Channel{T}"/>.</summary>
internal static class BareInProcessBench
{
    public static async Task<BenchResult> ThroughputAsync(int count)
    {
        var channel = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
        var reader = Task.Run(async () =>
        {
            var n = 0;
            await foreach (var _ in channel.Reader.ReadAllAsync())
            {
                if (++n == count)
                {
                    break;
                }
            }
        });
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            channel.Writer.TryWrite(new byte[64]);
        }

        await reader;
        return new BenchResult("in-process", "publish→deliver", "bare", count / clock.Elapsed.TotalSeconds);
    }
}
