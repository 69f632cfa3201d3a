using System.Diagnostics;
using StackExchange.Redis;

namespace Memfun.Bench.Runtime;

/// <summary>The bare StackExchange.Redis reference: XADD pipelined, XRANGE polling, XREADGROUP + XACK.</summary>
internal static class BareRedisBench
{
    public static async Task<BenchResult> ThroughputAsync(IDatabase db, IDatabase blocking, int count, int window)
    {
        RedisKey stream = "bare:" + Guid.NewGuid().ToString("N");
        var payload = new byte[64];
        var reader = Task.Run(async () =>
        {
            // A dedicated connection may block: XREAD BLOCK is the natural bare consumer.
            var n = 0;
            var last = "0-0";
            while (n < count)
            {
                var reply = await blocking.ExecuteAsync("XREAD", "COUNT", 1000, "BLOCK", 1000, "STREAMS", stream, last);
                if (reply.IsNull)
                {
                    continue;
                }

                var entries = (RedisResult[])((RedisResult[])((RedisResult[])reply!)[0]!)[1]!;
                n += entries.Length;
                last = (string)((RedisResult[])entries[^1]!)[0]!;
            }
        });
        var clock = Stopwatch.StartNew();
        var pending = new List<Task>(window);
        for (var i = 0; i < count; i++)
        {
            pending.Add(db.StreamAddAsync(stream, [new NameValueEntry("t", "bench.tp"), new NameValueEntry("d", payload)]));
            if (pending.Count >= window)
            {
                await Task.WhenAll(pending);
                pending.Clear();
            }
        }

        await Task.WhenAll(pending);
        await reader;
        return new BenchResult("redis", "publish→deliver", "bare", count / clock.Elapsed.TotalSeconds);
    }

    public static async Task<BenchResult> LatencyAsync(IDatabase db, IDatabase blocking, int samples)
    {
        RedisKey stream = "bare:" + Guid.NewGuid().ToString("N");
        var latencies = new List<double>(samples);
        var got = new SemaphoreSlim(0);
        var reader = Task.Run(async () =>
        {
            var last = "0-0";
            while (latencies.Count < samples)
            {
                var reply = await blocking.ExecuteAsync("XREAD", "COUNT", 10, "BLOCK", 1000, "STREAMS", stream, last);
                if (reply.IsNull)
                {
                    continue;
                }

                foreach (var e in (RedisResult[])((RedisResult[])((RedisResult[])reply!)[0]!)[1]!)
                {
                    var fields = (RedisResult[])((RedisResult[])e!)[1]!;
                    latencies.Add(Latency.MicrosSince(BitConverter.ToInt64((byte[])fields[1]!)));
                    last = (string)((RedisResult[])e!)[0]!;
                    got.Release();
                }
            }
        });
        for (var i = 0; i < samples; i++)
        {
            await db.StreamAddAsync(stream, "d", BitConverter.GetBytes(Stopwatch.GetTimestamp()));
            await got.WaitAsync();
        }

        await reader;

        var (p50, p99) = Latency.Percentiles(latencies);
        return new BenchResult("redis", "latency (ping-pong)", "bare", samples / latencies.Sum() * 1_000_000, p50, p99);
    }

    /// <summary>XADD pipelined by a producer while a consumer leases with XREADGROUP COUNT 100 and acks each entry with
    /// XACK (pipelined). With <paramref name="priorities"/>, tasks go to the normal of two priority streams and each
    /// lease reads the high one first, as any client honouring priorities must (our queue does the same).</summary>
    public static async Task<BenchResult> TasksAsync(IDatabase db, int count, int window, bool priorities = false)
    {
        var name = "bareq:" + Guid.NewGuid().ToString("N");
        RedisKey high = name + ":0", stream = name + ":1";
        await db.StreamCreateConsumerGroupAsync(stream, "g", "0-0", createStream: true);
        if (priorities)
        {
            await db.StreamCreateConsumerGroupAsync(high, "g", "0-0", createStream: true);
        }

        var payload = new byte[64];
        var clock = Stopwatch.StartNew();
        var producer = Task.Run(async () =>
        {
            var pending = new List<Task>(window);
            for (var i = 0; i < count; i++)
            {
                pending.Add(db.StreamAddAsync(stream, [new NameValueEntry("id", i), new NameValueEntry("p", payload)]));
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
            var first = priorities ? await db.StreamReadGroupAsync(high, "g", "c1", ">", 100) : [];
            var entries = first.Length < 100 ? await db.StreamReadGroupAsync(stream, "g", "c1", ">", 100 - first.Length) : [];
            if (first.Length + entries.Length == 0)
            {
                await Task.Delay(1);
                continue;
            }

            await Task.WhenAll(first.Select(e => db.StreamAcknowledgeAsync(high, "g", e.Id)).Concat(entries.Select(e => db.StreamAcknowledgeAsync(stream, "g", e.Id))));
            acked += first.Length + entries.Length;
        }

        await producer;
        return new BenchResult("redis", priorities ? "tasks, bare reads 2 levels" : "enqueue→lease→ack", "bare", count / clock.Elapsed.TotalSeconds);
    }
}
