using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Memfun.Engine.Runtime;
using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Tests.Runtime.Servers;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Memfun.Bench.Runtime;

/// <summary>
/// <c>worker-scaling</c> (issue 17, item 3): short tasks through a three-server NATS cluster (replicas = 3) with 1, 2, 4, 8,
/// 16 and 32 <c>memfun worker</c> processes (a process stands for a machine), worker i connected to server i mod 3; beside
/// each, the bare NATS.Net figure for the same shape in the same run.
/// </summary>
/// <remarks>
/// <para>Ours: the producer keeps a window of <c>workers × concurrency × 2</c> <c>echo</c> tasks outstanding through
/// <see cref="ITaskQueue"/>; a task's latency runs from its enqueue to its <c>task.echo.completed</c> event reaching the
/// producer (lease, run, result written with compare-and-set, ack, event: the whole path). Bare: the same window of
/// JetStream publishes to a replicated work-queue stream, N in-process consumers (one connection each, to server i mod 3)
/// that ack each message and answer on a plain subject; latency from publish to answer.</para>
/// <para>Arguments: <c>--workers 1,2,4,8,16,32</c>, <c>--tasks-per-worker 150</c> (at least 400 a size), <c>--concurrency 4</c>.
/// Run 32 processes only on a quiet machine.</para>
/// </remarks>
internal static class WorkerScalingBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var sizes = (Arg(args, "--workers") ?? "1,2,4,8,16,32").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var perWorker = int.Parse(Arg(args, "--tasks-per-worker") ?? "150", CultureInfo.InvariantCulture);
        var concurrency = int.Parse(Arg(args, "--concurrency") ?? "4", CultureInfo.InvariantCulture);
        var cluster = await NatsCluster.StartAsync();
        try
        {
            Console.WriteLine($"worker-scaling: 3-server NATS cluster (replicas 3), echo tasks, {Environment.ProcessorCount} cores, concurrency {concurrency} a worker");
            Console.WriteLine("| workers | tasks | ours tasks/s | ours p50 ms | ours p99 ms | bare tasks/s | bare p50 ms | bare p99 ms | ours/bare |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var n in sizes)
            {
                var tasks = Math.Max(400, perWorker * n);
                var window = n * concurrency * 2;
                var ours = await OursAsync(cluster, n, tasks, window, concurrency);
                var bare = await BareAsync(cluster, n, tasks, window);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {n} | {tasks} | {ours.Rate:0} | {ours.P50:0.0} | {ours.P99:0.0} | {bare.Rate:0} | {bare.P50:0.0} | {bare.P99:0.0} | {ours.Rate / bare.Rate:0.00} |"));
            }
        }
        finally
        {
            foreach (var server in cluster)
            {
                await server.DisposeAsync();
            }
        }

        return 0;
    }

    private sealed record Figures(double Rate, double P50, double P99);

    private static string ServerUrl(List<ServerProcess> cluster, int i) => $"nats://127.0.0.1:{cluster[i % 3].Port}";

    private static async Task<Figures> OursAsync(List<ServerProcess> cluster, int workers, int tasks, int window, int concurrency)
    {
        var prefix = "sc" + Guid.NewGuid().ToString("N")[..10];
        await using var producer = await RuntimeBackendFactory.OpenAsync(new RuntimeOptions { Tier = RuntimeTier.Nats, NatsUrl = NatsCluster.UrlOf(cluster), NatsReplicas = 3, Prefix = prefix });
        await using var fleet = await WorkerFleet.StartAsync(
            workers,
            i => ["--backend", "nats", "--url", ServerUrl(cluster, i), "--prefix", prefix, "--kinds", "echo", "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture),
                  "--id", $"w{i}", "--log-level", "Warning", "--workspace", Path.GetTempPath()],
            new Dictionary<string, string> { ["MEMFUN_BACKEND__NATS__REPLICAS"] = "3" });

        var sent = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var latencies = new ConcurrentBag<double>();
        var slots = new SemaphoreSlim(window);
        var measuring = 0;
        await using var completed = await producer.EventBus.SubscribeAsync("task.echo.completed");
        var reading = Task.Run(async () =>
        {
            await foreach (var e in completed.ReadAllAsync())
            {
                var id = JsonDocument.Parse(e.Data).RootElement.GetProperty("id").GetString()!;
                if (sent.TryRemove(id, out var at))
                {
                    if (Volatile.Read(ref measuring) == 1)
                    {
                        latencies.Add(Latency.MicrosSince(at) / 1000);
                    }

                    slots.Release();
                }
            }
        });

        // Warm-up (not measured): every worker's consumers exist and have run a task.
        await EnqueueAsync("warm", Math.Max(window, 4 * workers));
        await DrainAsync();
        Volatile.Write(ref measuring, 1);
        var clock = Stopwatch.StartNew();
        await EnqueueAsync("run", tasks);
        await DrainAsync();
        var elapsed = clock.Elapsed;
        if (fleet.Crashed.Count > 0)
        {
            Console.WriteLine($"  ({fleet.Crashed.Count} worker(s) died: {fleet.Log(fleet.Crashed[0]).ReplaceLineEndings(" ")[..Math.Min(300, fleet.Log(fleet.Crashed[0]).Length)]})");
        }

        var (p50, p99) = Latency.Percentiles([.. latencies]);
        return new Figures(tasks / elapsed.TotalSeconds, p50, p99);

        async Task EnqueueAsync(string phase, int count)
        {
            for (var i = 0; i < count; i++)
            {
                await slots.WaitAsync();
                var key = $"{prefix}-{phase}-{i}";
                sent[RuntimeNames.TaskIdFor("echo", key)] = Stopwatch.GetTimestamp();
                await producer.TaskQueue.EnqueueAsync(TaskRequest.FromText("echo", "{}", idempotencyKey: key));
            }
        }

        async Task DrainAsync()
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            while (!sent.IsEmpty)
            {
                await Task.Delay(20, limit.Token);
            }
        }
    }

    private static async Task<Figures> BareAsync(List<ServerProcess> cluster, int workers, int tasks, int window)
    {
        var name = "SCALE" + Guid.NewGuid().ToString("N")[..8];
        await using var producer = new NatsConnection(new NatsOpts { Url = NatsCluster.UrlOf(cluster) });
        var js = new NatsJSContext(producer);
        await js.CreateStreamAsync(new StreamConfig(name, [name + ".task"]) { Retention = StreamConfigRetention.Workqueue, Storage = StreamConfigStorage.File, NumReplicas = 3 });
        await js.CreateOrUpdateConsumerAsync(name, new ConsumerConfig("c") { AckPolicy = ConsumerConfigAckPolicy.Explicit });
        using var stop = new CancellationTokenSource();
        var connections = new List<NatsConnection>();
        var consumers = new List<Task>();
        for (var i = 0; i < workers; i++)
        {
            var nc = new NatsConnection(new NatsOpts { Url = ServerUrl(cluster, i) });
            connections.Add(nc);
            var consumer = await new NatsJSContext(nc).GetConsumerAsync(name, "c");
            consumers.Add(Task.Run(async () =>
            {
                try
                {
                    await foreach (var m in consumer.ConsumeAsync<byte[]>(opts: new NatsJSConsumeOpts { MaxMsgs = 8 }, cancellationToken: stop.Token))
                    {
                        await m.AckAsync(cancellationToken: stop.Token);
                        await nc.PublishAsync(name + ".done", m.Data, cancellationToken: stop.Token);
                    }
                }
                catch (OperationCanceledException)
                {
                    // Stopped.
                }
            }));
        }

        var sent = new ConcurrentDictionary<long, long>();
        var latencies = new ConcurrentBag<double>();
        var slots = new SemaphoreSlim(window);
        var measuring = 0;
        var reading = Task.Run(async () =>
        {
            try
            {
                await foreach (var m in producer.SubscribeAsync<byte[]>(name + ".done", cancellationToken: stop.Token))
                {
                    if (sent.TryRemove(BitConverter.ToInt64(m.Data), out var at))
                    {
                        if (Volatile.Read(ref measuring) == 1)
                        {
                            latencies.Add(Latency.MicrosSince(at) / 1000);
                        }

                        slots.Release();
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        });
        await producer.PingAsync(); // the answer subscription is in place before the first publish

        var next = 0L;
        await PublishAsync(Math.Max(window, 4 * workers));
        await DrainAsync();
        Volatile.Write(ref measuring, 1);
        var clock = Stopwatch.StartNew();
        await PublishAsync(tasks);
        await DrainAsync();
        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        await Task.WhenAll(consumers.Append(reading));
        foreach (var nc in connections)
        {
            await nc.DisposeAsync();
        }

        await js.DeleteStreamAsync(name);
        var (p50, p99) = Latency.Percentiles([.. latencies]);
        return new Figures(tasks / elapsed.TotalSeconds, p50, p99);

        async Task PublishAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                await slots.WaitAsync();
                var n = next++;
                sent[n] = Stopwatch.GetTimestamp();
                await js.PublishAsync(name + ".task", BitConverter.GetBytes(n));
            }
        }

        async Task DrainAsync()
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            while (!sent.IsEmpty)
            {
                await Task.Delay(20, limit.Token);
            }
        }
    }

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
