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
/// free loopback ports. Arguments: <c>--tiers in-process,sqlite,redis,nats</c>, <c>--scale 0.2</c> (fewer messages),
/// <c>--repeat 3</c> (run everything that many times, bare and ours side by side each time, and report medians: on a
/// shared machine single runs swing by 2x), <c>--commands</c> (after the Redis task scenario, the commands each side
/// sent per task and the server time they took, from <c>INFO commandstats</c>).</remarks>
internal static class RuntimeBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var tiers = Arg(args, "--tiers")?.Split(',') ?? ["in-process", "sqlite", "redis", "nats"];
        var scale = double.Parse(Arg(args, "--scale") ?? "1", CultureInfo.InvariantCulture);
        var repeat = int.Parse(Arg(args, "--repeat") ?? "1", CultureInfo.InvariantCulture);
        int N(int n) => Math.Max(100, (int)(n * scale));
        var results = new List<(int Run, BenchResult Result)>();
        var run = 0;
        void Report(BenchResult r)
        {
            results.Add((run, r));
            Console.WriteLine(r);
        }

        Console.WriteLine($"Runtime bench on {Environment.ProcessorCount} cores, .NET {Environment.Version}, scale {scale}");
        Console.WriteLine("| tier       | scenario               | side   |   throughput    |     p50     |     p99     | CPU per op |");
        Console.WriteLine("|------------|------------------------|--------|-----------------|-------------|-------------|------------|");

        for (run = 0; run < repeat; run++)
        {
            await RunTiersAsync(tiers, N, Report, args.Contains("--commands"), run);
        }

        Console.WriteLine();
        Console.WriteLine($"Medians over {repeat} run(s): bare, ours, and ours/bare (the median of each run's own ratio; 1.00 = same speed):");
        foreach (var g in results.GroupBy(r => (r.Result.Tier, r.Result.Scenario)))
        {
            var ours = g.Where(r => r.Result.Side == "ours").ToList();
            var bare = g.Where(r => r.Result.Side == "bare").ToList();
            var ratios = ours.Join(bare, o => o.Run, b => b.Run, (o, b) => o.Result.PerSecond / b.Result.PerSecond).ToList();
            var line = $"  {g.Key.Tier,-10} {g.Key.Scenario,-22} bare {Median(bare.Select(b => b.Result.PerSecond)),10:N0} /s  ours {Median(ours.Select(o => o.Result.PerSecond)),10:N0} /s";
            if (ratios.Count > 0)
            {
                line += $"  ratio {Median(ratios):0.00} (runs: {string.Join(", ", ratios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))})";
            }

            var cpuRatios = ours.Join(bare, o => o.Run, b => b.Run, (o, b) => b.Result.CpuUsPerOp / o.Result.CpuUsPerOp).OfType<double>().ToList();
            line += $"  CPU/op bare {Median(bare.Select(b => b.Result.CpuUsPerOp ?? double.NaN)):0.0} µs ours {Median(ours.Select(o => o.Result.CpuUsPerOp ?? double.NaN)):0.0} µs";
            if (cpuRatios.Count > 0)
            {
                line += $" (bare/ours {Median(cpuRatios):0.00})";
            }

            if (ours.Any(o => o.Result.P50Us is not null))
            {
                line += $"  ours p50 {Median(ours.Select(o => o.Result.P50Us ?? 0)):N0} µs p99 {Median(ours.Select(o => o.Result.P99Us ?? 0)):N0} µs";
            }

            if (bare.Any(b => b.Result.P50Us is not null))
            {
                line += $"  bare p50 {Median(bare.Select(b => b.Result.P50Us ?? 0)):N0} µs p99 {Median(bare.Select(b => b.Result.P99Us ?? 0)):N0} µs";
            }

            Console.WriteLine(line);
        }

        return 0;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN
            : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2]
            : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>Runs one scenario and adds the CPU time it took per operation: this process plus the server (when there
    /// is one). Unlike throughput, it hardly moves with the machine's load, so it compares the two sides' work even on a
    /// busy machine.</summary>
    private static async Task<BenchResult> MeasureAsync(int? serverPid, int count, Func<int, Task<BenchResult>> run)
    {
        var before = CpuTime.Of(serverPid);
        var result = await run(count);
        var spent = CpuTime.Of(serverPid) - before;
        return result with { CpuUsPerOp = spent.TotalMicroseconds / count };
    }

    private static async Task RunTiersAsync(string[] tiers, Func<int, int> scaled, Action<BenchResult> report, bool commands, int run)
    {
        if (tiers.Contains("in-process"))
        {
            await using var b = await RuntimeBackendFactory.OpenAsync(new RuntimeOptions { Tier = RuntimeTier.InProcess });
            await OursBench.ThroughputAsync(b, scaled(200_000), 1); // warm-up
            report(await MeasureAsync(null, scaled(2_000_000), n => BareInProcessBench.ThroughputAsync(n)));
            report(await MeasureAsync(null, scaled(2_000_000), n => OursBench.ThroughputAsync(b, n, 1)));
            report(await MeasureAsync(null, scaled(20_000), n => OursBench.LatencyAsync(b, n)));
            report(await MeasureAsync(null, scaled(200_000), n => OursBench.TasksAsync(b, n, 1000)));
        }

        if (tiers.Contains("sqlite"))
        {
            var dir = Directory.CreateTempSubdirectory("memfun-bench-").FullName;
            try
            {
                await BareSqliteBench.ThroughputAsync(Path.Combine(dir, "warm.db"), scaled(5_000), 1000); // warm-up
                report(await MeasureAsync(null, scaled(50_000), n => BareSqliteBench.ThroughputAsync(Path.Combine(dir, "bare.db"), n, 1000)));
                await using (var warm = new SqliteBackend(Path.Combine(dir, "oursw.db")))
                {
                    await OursBench.ThroughputAsync(warm, scaled(5_000), 1000); // warm-up
                    await OursBench.TasksAsync(warm, scaled(1_000), 1000);
                }

                await using (var b = new SqliteBackend(Path.Combine(dir, "ours.db")))
                {
                    report(await MeasureAsync(null, scaled(50_000), n => OursBench.ThroughputAsync(b, n, 1000)));
                    report(await MeasureAsync(null, scaled(2_000), n => OursBench.LatencyAsync(b, n)));
                    report(await MeasureAsync(null, scaled(10_000), n => BareSqliteBench.TasksAsync(Path.Combine(dir, "bareq.db"), n, 1000)));
                    report(await MeasureAsync(null, scaled(10_000), n => OursBench.TasksAsync(b, n, 1000)));
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
            await BareRedisBench.ThroughputAsync(raw.GetDatabase(), blocking, scaled(5_000), 256); // warm-up
            await OursBench.ThroughputAsync(b, scaled(5_000), 256);
            report(await MeasureAsync(server.Pid, scaled(50_000), n => BareRedisBench.ThroughputAsync(raw.GetDatabase(), blocking, n, 256)));
            report(await MeasureAsync(server.Pid, scaled(50_000), n => OursBench.ThroughputAsync(b, n, 256)));
            report(await MeasureAsync(server.Pid, scaled(2_000), n => BareRedisBench.LatencyAsync(raw.GetDatabase(), blocking, n)));
            report(await MeasureAsync(server.Pid, scaled(2_000), n => OursBench.LatencyAsync(b, n)));
            // Warm-ups as long as the measured runs: the JIT's tiering (and the dynamic PGO pass) is still compiling both
            // sides after 2,000 tasks, and the side with more code paid more of it inside its measured run.
            await BareRedisBench.TasksAsync(raw.GetDatabase(), scaled(20_000), 256);
            await OursBench.TasksAsync(b, scaled(20_000), 256);
            await BareRedisBench.TasksAsync(raw.GetDatabase(), scaled(5_000), 256, priorities: true);
            // The three task loops take turns at going first (the server's state grows with each: streams the bare loops
            // leave untrimmed, the append-only file), so no side always runs on the fresher server.
            var counted = raw.GetDatabase();
            BenchResult? bare = null, barePriorities = null, ours = null;
            string? bareCommands = null, oursCommands = null;
            for (var turn = 0; turn < 3; turn++)
            {
                var before = await RedisCommandCount.ReadAsync(counted);
                switch ((turn + run) % 3)
                {
                    case 0:
                        bare = await MeasureAsync(server.Pid, scaled(20_000), n => BareRedisBench.TasksAsync(raw.GetDatabase(), n, 256));
                        bareCommands = RedisCommandCount.PerOp(before, await RedisCommandCount.ReadAsync(counted), scaled(20_000));
                        break;
                    case 1:
                        ours = await MeasureAsync(server.Pid, scaled(20_000), n => OursBench.TasksAsync(b, n, 256));
                        oursCommands = RedisCommandCount.PerOp(before, await RedisCommandCount.ReadAsync(counted), scaled(20_000));
                        break;
                    default:
                        // The bare client also honouring priority (reading the high stream first), as ours does.
                        barePriorities = await MeasureAsync(server.Pid, scaled(20_000), n => BareRedisBench.TasksAsync(raw.GetDatabase(), n, 256, priorities: true));
                        break;
                }
            }

            report(bare!);
            report(ours!);
            report(barePriorities!);
            report(ours! with { Scenario = barePriorities!.Scenario });
            if (commands)
            {
                Console.WriteLine($"  redis commands per task: bare {bareCommands}");
                Console.WriteLine($"  redis commands per task: ours {oursCommands}");
            }
        }

        if (tiers.Contains("nats"))
        {
            await using var server = await ServerProcess.StartAsync("nats-server", "nats-server", (port, dir) =>
                ["-js", "-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-sd", dir]);
            var url = $"nats://127.0.0.1:{server.Port}";
            await using var nats = new NatsConnection(new NatsOpts { Url = url });
            var js = new NatsJSContext(nats);
            await using var b = await NatsBackend.ConnectAsync(url, "bench");
            await BareNatsBench.ThroughputAsync(js, scaled(5_000), 256); // warm-up
            await OursBench.ThroughputAsync(b, scaled(5_000), 256);
            report(await MeasureAsync(server.Pid, scaled(50_000), n => BareNatsBench.ThroughputAsync(js, n, 256)));
            report(await MeasureAsync(server.Pid, scaled(50_000), n => OursBench.ThroughputAsync(b, n, 256)));
            report(await MeasureAsync(server.Pid, scaled(2_000), n => BareNatsBench.LatencyAsync(js, n)));
            report(await MeasureAsync(server.Pid, scaled(2_000), n => OursBench.LatencyAsync(b, n)));
            // As for Redis: warm-ups as long as the measured runs on both sides, and the two loops take turns at going first.
            await BareNatsBench.TasksAsync(js, scaled(20_000), 256);
            await OursBench.TasksAsync(b, scaled(20_000), 256);
            BenchResult? bareTasks = null, oursTasks = null;
            for (var turn = 0; turn < 2; turn++)
            {
                if ((turn + run) % 2 == 0)
                {
                    bareTasks = await MeasureAsync(server.Pid, scaled(20_000), n => BareNatsBench.TasksAsync(js, n, 256));
                }
                else
                {
                    oursTasks = await MeasureAsync(server.Pid, scaled(20_000), n => OursBench.TasksAsync(b, n, 256));
                }
            }

            report(bareTasks!);
            report(oursTasks!);
        }

    }

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
