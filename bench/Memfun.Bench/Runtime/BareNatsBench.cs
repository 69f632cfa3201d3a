using System.Diagnostics;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Memfun.Bench.Runtime;

/// <summary>The bare NATS.Net reference: JetStream publish (windowed) and a pull consumer's consume (+ ack for tasks).</summary>
internal static class BareNatsBench
{
    public static async Task<BenchResult> ThroughputAsync(NatsJSContext js, int count, int window)
    {
        var name = "BARE" + Guid.NewGuid().ToString("N")[..8];
        await js.CreateStreamAsync(new StreamConfig(name, [name + ".>"]) { Storage = StreamConfigStorage.File });
        var consumer = await js.CreateOrUpdateConsumerAsync(name, new ConsumerConfig("c") { AckPolicy = ConsumerConfigAckPolicy.None, FilterSubject = name + ".tp" });
        var reader = Task.Run(async () =>
        {
            var n = 0;
            await foreach (var _ in consumer.ConsumeAsync<byte[]>(opts: new NatsJSConsumeOpts { MaxMsgs = 1000 }))
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
            pending.Add(js.PublishAsync(name + ".tp", payload).AsTask());
            if (pending.Count >= window)
            {
                await Task.WhenAll(pending);
                pending.Clear();
            }
        }

        await Task.WhenAll(pending);
        await reader;
        await js.DeleteStreamAsync(name);
        return new BenchResult("nats", "publish→deliver", "bare", count / clock.Elapsed.TotalSeconds);
    }

    public static async Task<BenchResult> LatencyAsync(NatsJSContext js, int samples)
    {
        var name = "BARE" + Guid.NewGuid().ToString("N")[..8];
        await js.CreateStreamAsync(new StreamConfig(name, [name + ".>"]) { Storage = StreamConfigStorage.File });
        var consumer = await js.CreateOrUpdateConsumerAsync(name, new ConsumerConfig("c") { AckPolicy = ConsumerConfigAckPolicy.None, FilterSubject = name + ".lat" });
        var got = new SemaphoreSlim(0);
        var latencies = new List<double>(samples);
        var reader = Task.Run(async () =>
        {
            await foreach (var m in consumer.ConsumeAsync<byte[]>(opts: new NatsJSConsumeOpts { MaxMsgs = 1000 }))
            {
                latencies.Add(Latency.MicrosSince(BitConverter.ToInt64(m.Data)));
                got.Release();
                if (latencies.Count == samples)
                {
                    break;
                }
            }
        });
        for (var i = 0; i < samples; i++)
        {
            await js.PublishAsync(name + ".lat", BitConverter.GetBytes(Stopwatch.GetTimestamp()));
            await got.WaitAsync();
        }

        await reader;
        await js.DeleteStreamAsync(name);
        var (p50, p99) = Latency.Percentiles(latencies);
        return new BenchResult("nats", "latency (ping-pong)", "bare", samples / latencies.Sum() * 1_000_000, p50, p99);
    }

    public static async Task<BenchResult> TasksAsync(NatsJSContext js, int count, int window)
    {
        var name = "BAREQ" + Guid.NewGuid().ToString("N")[..8];
        await js.CreateStreamAsync(new StreamConfig(name, [name + ".>"]) { Storage = StreamConfigStorage.File, Retention = StreamConfigRetention.Workqueue });
        var consumer = await js.CreateOrUpdateConsumerAsync(name, new ConsumerConfig("w") { AckPolicy = ConsumerConfigAckPolicy.Explicit, FilterSubject = name + ".task" });
        var payload = new byte[64];
        var clock = Stopwatch.StartNew();
        var producer = Task.Run(async () =>
        {
            var pending = new List<Task>(window);
            for (var i = 0; i < count; i++)
            {
                pending.Add(js.PublishAsync(name + ".task", payload).AsTask());
                if (pending.Count >= window)
                {
                    await Task.WhenAll(pending);
                    pending.Clear();
                }
            }

            await Task.WhenAll(pending);
        });
        var acked = 0;
        await foreach (var m in consumer.ConsumeAsync<byte[]>(opts: new NatsJSConsumeOpts { MaxMsgs = 1000 }))
        {
            await m.AckAsync();
            if (++acked == count)
            {
                break;
            }
        }

        await producer;
        await js.DeleteStreamAsync(name);
        return new BenchResult("nats", "enqueue→lease→ack", "bare", count / clock.Elapsed.TotalSeconds);
    }
}
