using System.Globalization;
using System.Text.Json;
using Memfun.Engine.Runtime;
using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Bench.Runtime;

/// <summary><c>server-kill</c>: the single-server fault loop of issue 17, not a CI test. Per run: 3 <c>memfun worker</c>
/// processes, 60 <c>sleep</c> tasks enqueued through <see cref="ITaskQueue"/>, the server SIGKILLed under load and
/// restarted on the same port and store (nats-server -js with a file store; redis-server with appendonly yes), then
/// counted: tasks without a result (lost), workers that died, and <c>completed</c> events per task.</summary>
/// <remarks>Arguments: <c>--tiers nats,redis</c>, <c>--runs 50</c>, <c>--tasks 60</c>, <c>--workers 3</c>. The kill comes
/// at a random moment 0.2–1.5 s into the run and the server stays down 0.3–1.5 s, so runs hit different moments
/// (enqueue, lease, result write, ack). Exit code 1 when any run lost a task, lost a worker or announced a task other
/// than once.</remarks>
internal static class ServerKillLoop
{
    public static async Task<int> RunAsync(string[] args)
    {
        var tiers = Arg(args, "--tiers")?.Split(',') ?? ["nats", "redis"];
        var runs = int.Parse(Arg(args, "--runs") ?? "50", CultureInfo.InvariantCulture);
        var tasks = int.Parse(Arg(args, "--tasks") ?? "60", CultureInfo.InvariantCulture);
        var workers = int.Parse(Arg(args, "--workers") ?? "3", CultureInfo.InvariantCulture);
        var bad = 0;
        foreach (var tier in tiers)
        {
            await using var server = tier == "nats"
                ? await ServerProcess.StartAsync("nats-server", "nats-server", (port, dir) => ["-js", "-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-sd", dir])
                : await ServerProcess.StartAsync("redis-server", "redis-server", (port, dir) => ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--dir", dir]);
            var url = tier == "nats" ? $"nats://127.0.0.1:{server.Port}" : $"redis://127.0.0.1:{server.Port}";
            var totals = (Lost: 0, Crashed: 0, NotOnce: 0, Duplicates: 0, Runs: 0);
            for (var run = 0; run < runs; run++)
            {
                RunOutcome r;
                try
                {
                    r = await OneRunAsync(server, tier, url, tasks, workers, new Random(run));
                }
                catch (InvalidOperationException ex) when (ex.Message.StartsWith("a memfun worker exited at start", StringComparison.Ordinal) ||
                    ex.Message.StartsWith("a memfun worker did not start", StringComparison.Ordinal))
                {
                    // Setup, not the fault under test (a worker's 5 s connect timeout on a loaded machine): run again.
                    Console.WriteLine($"{tier} run {run + 1}/{runs}: setup failed, run again: {ex.Message.ReplaceLineEndings(" ")}");
                    run--;
                    continue;
                }

                Console.WriteLine($"{tier} run {run + 1}/{runs}: done {tasks - r.Lost}/{tasks}, lost {r.Lost}, workers crashed {r.Crashed}, " +
                    $"completed events per task: {r.Events}, tasks announced other than once {r.NotOnce}, killed at {r.KilledAt.TotalMilliseconds:0} ms for {r.DownFor.TotalMilliseconds:0} ms");
                foreach (var line in r.Notes)
                {
                    Console.WriteLine("    " + line);
                }

                totals = (totals.Lost + r.Lost, totals.Crashed + r.Crashed, totals.NotOnce + r.NotOnce, totals.Duplicates, totals.Runs + 1);
                if (r.Lost + r.Crashed + r.NotOnce > 0)
                {
                    bad++;
                }
            }

            Console.WriteLine($"== {tier}: {totals.Runs} runs, tasks lost {totals.Lost}, workers crashed {totals.Crashed}, tasks announced other than once {totals.NotOnce}");
        }

        return bad == 0 ? 0 : 1;
    }

    private sealed record RunOutcome(int Lost, int Crashed, int NotOnce, string Events, TimeSpan KilledAt, TimeSpan DownFor, List<string> Notes);

    private static async Task<RunOutcome> OneRunAsync(ServerProcess server, string tier, string url, int taskCount, int workerCount, Random random)
    {
        var prefix = "k" + Guid.NewGuid().ToString("N")[..10];
        var options = new RuntimeOptions
        {
            Tier = tier == "nats" ? RuntimeTier.Nats : RuntimeTier.Redis,
            NatsUrl = url,
            RedisUrl = url,
            Prefix = prefix,
            Tasks = new TaskQueueOptions { VisibilityTimeout = TimeSpan.FromSeconds(5) },
        };
        var notes = new List<string>();
        await using var producer = await RuntimeBackendFactory.OpenAsync(options);
        await using var fleet = await WorkerFleet.StartAsync(workerCount, i =>
            ["--backend", tier, "--url", url, "--prefix", prefix, "--kinds", "sleep", "--concurrency", "4", "--visibility-timeout", "5",
             "--id", $"w{i}", "--log-level", "Warning", "--workspace", Path.GetTempPath()]);

        var killedAt = TimeSpan.FromMilliseconds(random.Next(200, 1500));
        var downFor = TimeSpan.FromMilliseconds(random.Next(300, 1500));
        var started = DateTime.UtcNow;
        var kill = Task.Run(async () =>
        {
            await Task.Delay(killedAt);
            await server.RestartAsync(downFor);
        });

        var ids = new List<string>();
        for (var i = 0; i < taskCount; i++)
        {
            ids.Add(await producer.TaskQueue.EnqueueAsync(TaskRequest.FromText("sleep", "{\"ms\":150}", idempotencyKey: prefix + "-" + i.ToString(CultureInfo.InvariantCulture))));
            await Task.Delay(15);
        }

        await kill;
        var results = producer.StateStore(RuntimeAreas.Results);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var missing = ids.ToHashSet();
        while (missing.Count > 0 && DateTime.UtcNow < deadline && fleet.Exited.Count < fleet.Count)
        {
            foreach (var id in missing.ToList())
            {
                if (await results.GetAsync(id) is not null)
                {
                    missing.Remove(id);
                }
            }

            if (missing.Count > 0)
            {
                await Task.Delay(200);
            }
        }

        // Every completed event, replayed from the start of the bus.
        var counts = ids.ToDictionary(id => id, _ => 0);
        await using (var replay = await producer.EventBus.SubscribeAsync("task.sleep.completed", new SubscribeOptions(From: 0)))
        {
            // Up to 30 s for the first event (a replay consumer on a loaded machine), then until 2 s pass without one.
            using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await foreach (var e in replay.ReadAllAsync(quiet.Token))
                {
                    var id = JsonDocument.Parse(e.Data).RootElement.GetProperty("id").GetString()!;
                    counts[id] = counts.GetValueOrDefault(id) + 1;
                    quiet.CancelAfter(TimeSpan.FromSeconds(2));
                }
            }
            catch (OperationCanceledException)
            {
                // Quiet: all replayed.
            }
        }

        var crashed = fleet.Crashed;
        foreach (var i in crashed)
        {
            notes.Add($"worker w{i} died: " + string.Join(" | ", fleet.Log(i).Split('\n').Where(l => l.Contains("xception", StringComparison.Ordinal) || l.Contains("memfun:", StringComparison.Ordinal)).Take(3)));
        }

        foreach (var id in missing)
        {
            notes.Add($"lost {id}: no result; completed events {counts[id]}");
        }

        var histogram = string.Join(", ", counts.Values.GroupBy(c => c).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"));
        return new RunOutcome(missing.Count, crashed.Count, counts.Values.Count(c => c != 1), histogram, killedAt, downFor, notes);
    }

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
