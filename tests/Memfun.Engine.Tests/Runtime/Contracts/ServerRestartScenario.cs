using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Memfun.Engine.Runtime;
using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Runtime.Contracts;

/// <summary>A server killed and restarted (same port, same data folder) while a producer publishes events and enqueues
/// tasks: the client reconnects by itself, and every event and task the server acknowledged is still there.</summary>
internal static class ServerRestartScenario
{
    public static async Task RunAsync(ServerProcess server, Func<Task<RuntimeBackend>> open)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ct = timeout.Token;
        await using var backend = await open();
        await using var live = await backend.EventBus.SubscribeAsync("load.>", cancellationToken: ct);
        var seenLive = new ConcurrentDictionary<string, bool>();
        var reading = Task.Run(async () =>
        {
            await foreach (var e in live.ReadAllAsync(ct))
            {
                seenLive[e.Text] = true;
            }
        }, ct);

        const int total = 300;
        var ackedEvents = new List<string>();
        var ackedTasks = new List<string>();
        var restarted = Task.CompletedTask;
        for (var i = 0; i < total; i++)
        {
            var text = i.ToString(CultureInfo.InvariantCulture);
            await backend.EventBus.PublishAsync("load.event", Encoding.UTF8.GetBytes(text), ct);
            ackedEvents.Add(text);
            ackedTasks.Add(await backend.TaskQueue.EnqueueAsync(TaskRequest.FromText("load", text, idempotencyKey: "load-" + text), ct));
            if (i == total / 3)
            {
                // Kill -9 and restart while the loop keeps going: its calls wait and retry until the server is back.
                restarted = server.RestartAsync(TimeSpan.FromMilliseconds(700));
            }
        }

        await restarted;

        // Durable events: a replay from the start has every acknowledged one (a retried publish may add a duplicate).
        await using (var replay = await backend.EventBus.SubscribeAsync("load.>", new SubscribeOptions(From: 0), ct))
        {
            var replayed = new HashSet<string>();
            await foreach (var e in replay.ReadAllAsync(ct))
            {
                replayed.Add(e.Text);
                if (ackedEvents.All(replayed.Contains))
                {
                    break;
                }
            }
        }

        // The live subscription rode through the restart too.
        while (!ackedEvents.All(seenLive.ContainsKey))
        {
            await Task.Delay(50, ct);
        }

        // Tasks: every acknowledged task is delivered, once each (idempotency keys absorb retried enqueues).
        var leased = new Dictionary<string, int>();
        while (leased.Count < ackedTasks.Distinct().Count())
        {
            foreach (var l in await backend.TaskQueue.LeaseAsync(["load"], 100, TimeSpan.FromSeconds(2), ct))
            {
                leased[l.Id] = leased.GetValueOrDefault(l.Id) + 1;
                await backend.TaskQueue.AckAsync(l, ct);
            }
        }

        Assert.Equal(ackedTasks.Distinct().Order(), leased.Keys.Order());
        Assert.All(leased.Values, n => Assert.Equal(1, n));
        Assert.Empty(await backend.TaskQueue.LeaseAsync(["load"], 10, TimeSpan.FromMilliseconds(500), ct));
        await live.DisposeAsync();
        await reading;
    }
}
