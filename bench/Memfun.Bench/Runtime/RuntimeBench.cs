using System.Globalization;
using Memfun.Engine.Runtime;
using Memfun.Engine.Runtime.Nats;
using Memfun.Engine.Runtime.Redis;
using Memfun.Engine.Runtime.Sqlite;
using Memfun.Engine.Tests.Runtime.Servers;
using NATS.Client.Core;
using NATS.Client.JetStream;
using StackExchange.Redis;

namespace Memfun.Bench.Runtime;

/// <summary><c>memfun bench runtime</c>: per tier, publish→deliver throughput, ping-pong latency (p50/p99) and
/// enqueue→lease→ack throughput — ours beside the bare client doing the same work, in the same run.</summary>
/// <remarks>Starts its own redis-server (appendonly, fsync every second, as a typical deployment) and nats-server -js on
/// free loopback ports. Arguments: <c>--tiers in-process,sqlite,redis,nats</c>, <c>--scale 0.2</c> (fewer messages).</remarks>
internal static class RuntimeBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var tiers = Arg(args, "--tiers")?.Split(',') ?? ["in-process", "sqlite", "redis", "nats"];
        var scale = double.Parse(Arg(args, "--scale") ?? "1", CultureInfo.InvariantCulture);
        int N(int n) => Math.Max(100, (int)(n * scale));
        var results = new List<BenchResult>();
        void Report(BenchResult r)
        {
            results.Add(r);
            Console.WriteLine(r);
        }

        Console.WriteLine($"Runtime bench on {Environment.ProcessorCount} cores, .NET {Environment.Version}, scale {scale}");
        Console.WriteLine("| tier       | scenario               | side   |   throughput    |     p50     |     p99     |");
        Console.WriteLine("|------------|------------------------|--------|-----------------|-------------|-------------|");

        if (tiers.Contains("in-process"))
        {
            await using var b = await RuntimeBackendFactory.OpenAsync(new RuntimeOptions { Tier = RuntimeTier.InProcess });
            await OursBench.ThroughputAsync(b, N(200_000), 1); // warm-up
            Report(await BareInProcessBench.ThroughputAsync(N(2_000_000)));
            Report(await OursBench.ThroughputAsync(b, N(2_000_000), 1));
            Report(await OursBench.LatencyAsync(b, N(20_000)));
            Report(await OursBench.TasksAsync(b, N(200_000), 1000));
        }

        if (tiers.Contains("sqlite"))
        {
            var dir = Directory.CreateTempSubdirectory("memfun-bench-").FullName;
            try
            {
                Report(await BareSqliteBench.ThroughputAsync(Path.Combine(dir, "bare.db"), N(50_000), 1000));
                await using (var b = new SqliteBackend(Path.Combine(dir, "ours.db")))
                {
                    Report(await OursBench.ThroughputAsync(b, N(50_000), 1000));
                    Report(await OursBench.LatencyAsync(b, N(2_000)));
                    Report(await BareSqliteBench.TasksAsync(Path.Combine(dir, "bareq.db"), N(10_000), 1000));
                    Report(await OursBench.TasksAsync(b, N(10_000), 1000));
                }
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        if (tiers.Contains("redis"))
        {
            await using var server = await ServerProcess.StartAsync("redis-server", "redis-server", (port, dir) =>
                ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "everysec", "--dir", dir]);
            var url = $"127.0.0.1:{server.Port}";
            await using var raw = await ConnectionMultiplexer.ConnectAsync(url);
            await using var rawBlocking = await ConnectionMultiplexer.ConnectAsync(url);
            var blocking = rawBlocking.GetDatabase();
            await using var b = await RedisBackend.ConnectAsync(url, "bench");
            await BareRedisBench.ThroughputAsync(raw.GetDatabase(), blocking, N(5_000), 256); // warm-up
            await OursBench.ThroughputAsync(b, N(5_000), 256);
            Report(await BareRedisBench.ThroughputAsync(raw.GetDatabase(), blocking, N(50_000), 256));
            Report(await OursBench.ThroughputAsync(b, N(50_000), 256));
            Report(await BareRedisBench.LatencyAsync(raw.GetDatabase(), blocking, N(2_000)));
            Report(await OursBench.LatencyAsync(b, N(2_000)));
            Report(await BareRedisBench.TasksAsync(raw.GetDatabase(), N(20_000), 256));
            Report(await OursBench.TasksAsync(b, N(20_000), 256));
        }

        if (tiers.Contains("nats"))
        {
            await using var server = await ServerProcess.StartAsync("nats-server", "nats-server", (port, dir) =>
                ["-js", "-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-sd", dir]);
            var url = $"nats://127.0.0.1:{server.Port}";
            await using var nats = new NatsConnection(new NatsOpts { Url = url });
            var js = new NatsJSContext(nats);
            await using var b = await NatsBackend.ConnectAsync(url, "bench");
            await BareNatsBench.ThroughputAsync(js, N(5_000), 256); // warm-up
            await OursBench.ThroughputAsync(b, N(5_000), 256);
            Report(await BareNatsBench.ThroughputAsync(js, N(50_000), 256));
            Report(await OursBench.ThroughputAsync(b, N(50_000), 256));
            Report(await BareNatsBench.LatencyAsync(js, N(2_000)));
            Report(await OursBench.LatencyAsync(b, N(2_000)));
            Report(await BareNatsBench.TasksAsync(js, N(20_000), 256));
            Report(await OursBench.TasksAsync(b, N(20_000), 256));
        }

        Console.WriteLine();
        Console.WriteLine("Ours vs bare (throughput ratio; 1.00 = same speed):");
        foreach (var g in results.GroupBy(r => (r.Tier, r.Scenario)))
        {
            var ours = g.FirstOrDefault(r => r.Side == "ours");
            var bare = g.FirstOrDefault(r => r.Side == "bare");
            if (ours is not null && bare is not null)
            {
                Console.WriteLine($"  {g.Key.Tier,-10} {g.Key.Scenario,-22} {ours.PerSecond / bare.PerSecond:0.00}");
            }
        }

        return 0;
    }

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
