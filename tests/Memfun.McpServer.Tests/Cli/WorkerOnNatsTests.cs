using System.Collections.Concurrent;
using System.Text.Json;
using Memfun.Engine.Runtime;
using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Runtime.Stored;
using Memfun.Engine.Tests.Runtime.Servers;
using Memfun.McpServer.Tests.Infrastructure;

namespace Memfun.McpServer.Tests.Cli;

/// <summary><c>memfun worker --backend nats</c>: several worker processes and a producer on one real NATS server.</summary>
[Collection(NatsCollection.Name)]
public sealed class WorkerOnNatsTests(NatsServerFixture nats)
{
    [Fact]
    public async Task Three_workers_complete_every_task_exactly_once_even_when_one_is_killed_mid_task()
    {
        using var ws = new TempWorkspace("memfun-workers");
        var prefix = "w" + Guid.NewGuid().ToString("N")[..10];
        string[] args = ["--backend", "nats", "--url", nats.Url, "--prefix", prefix, "--visibility-timeout", "2", "--concurrency", "2"];
        await using var producer = await RuntimeBackendFactory.OpenAsync(new RuntimeOptions
        {
            Tier = RuntimeTier.Nats, NatsUrl = nats.Url, Prefix = prefix,
            Tasks = new TaskQueueOptions { VisibilityTimeout = TimeSpan.FromSeconds(2) },
        });
        await using var w0 = await WorkerProcess.StartAsync(ws.Path, "w0", args);
        await using var w1 = await WorkerProcess.StartAsync(ws.Path, "w1", args);
        await using var w2 = await WorkerProcess.StartAsync(ws.Path, "w2", args);

        var registry = new StoredAgentRegistry(producer.StateStore(RuntimeAreas.Agents));
        Assert.Equal(["w0", "w1", "w2"], (await registry.DiscoverAsync(["sleep", "echo"])).Select(a => a.Id).Order());

        // Watch w0's tasks so it can be killed while one is in flight.
        var inFlight = new ConcurrentDictionary<string, bool>();
        var w0Busy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var watch = await producer.EventBus.SubscribeAsync("task.sleep.*");
        var watching = Task.Run(async () =>
        {
            await foreach (var e in watch.ReadAllAsync())
            {
                var body = JsonDocument.Parse(e.Data).RootElement;
                if (body.GetProperty("worker").GetString() != "w0")
                {
                    continue;
                }

                var id = body.GetProperty("id").GetString()!;
                if (e.Topic.EndsWith(".started", StringComparison.Ordinal))
                {
                    inFlight[id] = true;
                    w0Busy.TrySetResult();
                }
                else
                {
                    inFlight.TryRemove(id, out _);
                }
            }
        });

        var ids = new List<string>();
        for (var i = 0; i < 45; i++)
        {
            ids.Add(await producer.TaskQueue.EnqueueAsync(TaskRequest.FromText("sleep", "{\"ms\":300}")));
        }

        for (var i = 0; i < 15; i++)
        {
            ids.Add(await producer.TaskQueue.EnqueueAsync(TaskRequest.FromText("echo", $"{{\"n\":{i}}}")));
        }

        await w0Busy.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var killedMidTask = inFlight.Keys.ToList();
        w0.Kill();
        Assert.NotEmpty(killedMidTask);

        // The registry drops the dead worker no later than the queue redelivers its tasks: its entry is stale after the
        // 2 s visibility timeout (the workers heartbeat three times as often).
        var w0Entry = StoredJson.Read<AgentInfo>((await producer.StateStore(RuntimeAreas.Agents).GetAsync("w0"))!.Value);
        Assert.Equal(TimeSpan.FromSeconds(2), w0Entry.StaleAfter);
        using (var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while ((await registry.DiscoverAsync(["sleep"], guard.Token)).Any(a => a.Id == "w0"))
            {
                await Task.Delay(100, guard.Token);
            }
        }

        var results = await WorkerTestKit.WaitForResultsAsync(producer, ids.Count, TimeSpan.FromSeconds(90));
        Assert.Equal(ids.Order(), results.Select(r => r.Id).Order());
        foreach (var id in killedMidTask)
        {
            var r = results.Single(r => r.Id == id);
            Assert.True(r.Worker != "w0" || r.Attempt == 1, $"task {id} finished by {r.Worker} on attempt {r.Attempt}");
        }

        var completed = await WorkerTestKit.ReplayAsync(producer, "task.*.completed", ids.Count);
        var perId = completed.GroupBy(e => e.Body.GetProperty("id").GetString()!).ToDictionary(g => g.Key, g => g.Count());
        // Results are the caller's record; events never repeat a task (w0 may die between recording and announcing one).
        Assert.All(perId, p => Assert.Equal(1, p.Value));
        Assert.InRange(perId.Count, ids.Count - killedMidTask.Count, ids.Count);
        Assert.Contains(results, r => r.Worker == "w1");
        Assert.Contains(results, r => r.Worker == "w2");
    }
}
