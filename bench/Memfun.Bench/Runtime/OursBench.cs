using System.Diagnostics;
using Memfun.Engine.Runtime;
using Memfun.Engine.Runtime.Abstractions;

namespace Memfun.Bench.Runtime;

/// <summary>The runtime's own protocols doing the bench work, on any tier.</summary>
internal static class OursBench
{
    public static async Task<BenchResult> ThroughputAsync(RuntimeBackend backend, int count, int window)
    {
        await using var sub = await backend.EventBus.SubscribeAsync("bench.tp", new SubscribeOptions(BufferCapacity: 200_000));
        var reader = Task.Run(async () =>
        {
            var n = 0;
            await foreach (var _ in sub.ReadAllAsync())
            {
                if (++n == count)
                {
                    break;
                }
            }
        });
        var payload = new byte[64];
        var clock = Stopwatch.StartNew();
        var pending = new List<Task>(window);
        for (var i = 0; i < count; i++)
        {
            var publish = backend.EventBus.PublishAsync("bench.tp", payload);
            if (!publish.IsCompletedSuccessfully)
            {
                pending.Add(publish.AsTask());
                if (pending.Count >= window)
                {
                    await Task.WhenAll(pending);
                    pending.Clear();
                }
            }
        }

        await Task.WhenAll(pending);
        await reader;
        return new BenchResult(backend.Tier, "publish→deliver", "ours", count / clock.Elapsed.TotalSeconds);
    }

    public static async Task<BenchResult> LatencyAsync(RuntimeBackend backend, int samples)
    {
        await using var sub = await backend.EventBus.SubscribeAsync("bench.lat");
        var got = new SemaphoreSlim(0);
        var latencies = new List<double>(samples);
        var reader = Task.Run(async () =>
        {
            await foreach (var e in sub.ReadAllAsync())
            {
                latencies.Add(Latency.MicrosSince(BitConverter.ToInt64(e.Data.Span)));
                got.Release();
                if (latencies.Count == samples)
                {
                    break;
                }
            }
        });
        for (var i = 0; i < samples; i++)
        {
            await backend.EventBus.PublishAsync("bench.lat", BitConverter.GetBytes(Stopwatch.GetTimestamp()));
            await got.WaitAsync();
        }

        await reader;
        var (p50, p99) = Latency.Percentiles(latencies);
        return new BenchResult(backend.Tier, "latency (ping-pong)", "ours", samples / latencies.Sum() * 1_000_000, p50, p99);
    }

    public static async Task<BenchResult> TasksAsync(RuntimeBackend backend, int count, int window)
    {
        var queue = backend.TaskQueue;
        var payload = new byte[64];
        var clock = Stopwatch.StartNew();
        var producer = Task.Run(async () =>
        {
            var pending = new List<Task>(window);
            for (var i = 0; i < count; i++)
            {
                pending.Add(queue.EnqueueAsync(new TaskRequest("bench", payload)).AsTask());
                if (pending.Count >= window)
                {
                    await Task.WhenAll(pending);
                    pending.Clear();
                }
            }

            await Task.WhenAll(pending);
        });
        var acked = 0;
        while (acked < count)
        {
            var leases = await queue.LeaseAsync(["bench"], 100, TimeSpan.FromSeconds(1));
            await Task.WhenAll(leases.Select(l => queue.AckAsync(l).AsTask()));
            acked += leases.Count;
        }

        await producer;
        return new BenchResult(backend.Tier, "enqueue→lease→ack", "ours", count / clock.Elapsed.TotalSeconds);
    }
}
