using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Memfun.Engine.Runtime;
using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Runtime.Nats;
using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;
using Xunit.Abstractions;

namespace Memfun.Engine.Tests.Runtime.NatsCluster;

/// <summary>Servers of a three-server cluster killed under load: the task stream's leader while a producer enqueues and
/// two workers run tasks, then restarted, then a second server. Every acknowledged enqueue runs, no worker dies, state
/// and events written before the kills are all there.</summary>
[Collection(NatsClusterCollection.Name)]
public sealed class NatsClusterFaultTests(NatsClusterFixture cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task Killing_the_task_stream_leader_and_then_a_second_server_loses_no_acknowledged_task_state_or_event()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var ct = timeout.Token;
        var scope = TierHarness.NewScope();
        var tasks = new TaskQueueOptions { VisibilityTimeout = TimeSpan.FromSeconds(5) };
        var reversed = string.Join(",", cluster.Url.Split(',').Reverse());
        await using var producer = await NatsBackend.ConnectAsync(cluster.Url, scope, tasks, replicas: 3, ct);
        await using var node1 = await NatsBackend.ConnectAsync(cluster.Url, scope, tasks, replicas: 3, ct);
        await using var node2 = await NatsBackend.ConnectAsync(reversed, scope, tasks, replicas: 3, ct);

        // Written before any kill.
        var state = producer.StateStore("before");
        for (var i = 0; i < 20; i++)
        {
            await state.PutAsync("k" + i.ToString(CultureInfo.InvariantCulture), Encoding.UTF8.GetBytes("v" + i.ToString(CultureInfo.InvariantCulture)), cancellationToken: ct);
            await producer.EventBus.PublishAsync("before.e", Encoding.UTF8.GetBytes(i.ToString(CultureInfo.InvariantCulture)), ct);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var ready1 = new TaskCompletionSource();
        var ready2 = new TaskCompletionSource();
        var worker1 = LostReplyScenario.EchoWorker(node1, "cluster-w1").RunAsync(ready1.SetResult, stop.Token);
        var worker2 = LostReplyScenario.EchoWorker(node2, "cluster-w2").RunAsync(ready2.SetResult, stop.Token);
        await Task.WhenAll(ready1.Task, ready2.Task).WaitAsync(ct);

        var acked = new ConcurrentQueue<string>();
        const int total = 150;
        var producing = Task.Run(async () =>
        {
            for (var i = 0; i < total; i++)
            {
                acked.Enqueue(await producer.TaskQueue.EnqueueAsync(TaskRequest.FromText("echo", "t" + i.ToString(CultureInfo.InvariantCulture), idempotencyKey: scope + "-" + i.ToString(CultureInfo.InvariantCulture)), ct));
                await Task.Delay(20, ct);
            }
        }, ct);

        var clock = Stopwatch.StartNew();
        await UntilAsync(() => acked.Count >= 20, ct);
        var first = await TaskStreamLeaderAsync(producer, ct);
        await cluster.ByName(first).KillAsync();
        output.WriteLine($"{clock.ElapsedMilliseconds} ms: killed {first}, the task stream's leader, after {acked.Count} enqueues");
        await UntilAsync(() => acked.Count >= 60, ct);
        await cluster.ByName(first).StartAsync();
        output.WriteLine($"{clock.ElapsedMilliseconds} ms: restarted {first} after {acked.Count} enqueues");
        await UntilAsync(() => acked.Count >= 100, ct);
        var leaderNow = await TaskStreamLeaderAsync(producer, ct);
        var second = leaderNow != first ? leaderNow : new[] { "s0", "s1", "s2" }.First(s => s != first);
        await cluster.ByName(second).KillAsync();
        output.WriteLine($"{clock.ElapsedMilliseconds} ms: killed {second} after {acked.Count} enqueues");
        await producing;
        await cluster.ByName(second).StartAsync();
        output.WriteLine($"{clock.ElapsedMilliseconds} ms: all {total} enqueues acknowledged; restarted {second}");

        // Every acknowledged enqueue runs (at least once).
        var results = producer.StateStore(RuntimeAreas.Results);
        var missing = acked.ToHashSet();
        while (missing.Count > 0)
        {
            foreach (var id in missing.ToList())
            {
                if (await results.GetAsync(id, ct) is not null)
                {
                    missing.Remove(id);
                }
            }

            if (missing.Count > 0)
            {
                await Task.Delay(200, ct);
            }
        }

        output.WriteLine($"{clock.ElapsedMilliseconds} ms: every acknowledged task has its result");

        // Runs per task, from the started events (a task run twice is a duplicate: reported, allowed).
        var runs = new Dictionary<string, int>();
        var completed = new Dictionary<string, int>();
        await using (var replay = await producer.EventBus.SubscribeAsync("task.echo.>", new SubscribeOptions(From: 0), ct))
        {
            foreach (var e in await ContractTestBase.DrainAsync(replay, TimeSpan.FromSeconds(2)))
            {
                var id = JsonDocument.Parse(e.Data).RootElement.GetProperty("id").GetString()!;
                var counts = e.Topic.EndsWith(".started", StringComparison.Ordinal) ? runs : completed;
                counts[id] = counts.GetValueOrDefault(id) + 1;
            }
        }

        output.WriteLine($"tasks run twice or more: {runs.Count(r => r.Value > 1)} of {total}; completed events per task: " +
            string.Join(", ", acked.Select(id => completed.GetValueOrDefault(id)).GroupBy(c => c).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}")));

        // No worker died or had to be restarted.
        Assert.False(worker1.IsCompleted, "worker 1 stopped: " + worker1.Exception?.GetBaseException().Message);
        Assert.False(worker2.IsCompleted, "worker 2 stopped: " + worker2.Exception?.GetBaseException().Message);
        await stop.CancelAsync();
        await Task.WhenAll(worker1, worker2);

        // State and events from before the kills are all there.
        for (var i = 0; i < 20; i++)
        {
            var entry = await state.GetAsync("k" + i.ToString(CultureInfo.InvariantCulture), ct);
            Assert.Equal("v" + i.ToString(CultureInfo.InvariantCulture), entry is null ? null : Encoding.UTF8.GetString(entry.Value.Span));
        }

        await using var before = await producer.EventBus.SubscribeAsync("before.>", new SubscribeOptions(From: 0), ct);
        var seen = new HashSet<string>();
        await foreach (var e in before.ReadAllAsync(ct))
        {
            seen.Add(e.Text);
            if (seen.Count == 20)
            {
                break;
            }
        }
    }

    private static async Task<string> TaskStreamLeaderAsync(NatsBackend backend, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                var stream = await backend.JetStream.GetStreamAsync(backend.Prefix + "_TASKS", cancellationToken: ct);
                if (stream.Info.Cluster?.Leader is { Length: > 0 } leader)
                {
                    return leader;
                }
            }
            catch (NATS.Client.Core.NatsException)
            {
                // No leader yet.
            }

            await Task.Delay(100, ct);
        }
    }

    private static async Task UntilAsync(Func<bool> condition, CancellationToken ct)
    {
        while (!condition())
        {
            await Task.Delay(20, ct);
        }
    }
}
