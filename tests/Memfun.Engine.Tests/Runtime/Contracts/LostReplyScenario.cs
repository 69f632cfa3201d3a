using System.Text;
using System.Text.Json;
using Memfun.Engine.Runtime;
using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Runtime.Local;
using Memfun.Engine.Runtime.Stored;
using Memfun.Engine.Runtime.Workers;
using Memfun.Engine.Tests.Runtime.Servers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Memfun.Engine.Tests.Runtime.Contracts;

/// <summary>Replies the server sent but the client never got in time (a <see cref="ReplyHoldingProxy"/> holds them past
/// the client's reply timeout): the request was applied, the client retries. Nothing may be lost or announced twice.</summary>
internal static class LostReplyScenario
{
    /// <summary>Longer than either client waits for a reply (5 s), so the call fails and is retried.</summary>
    public static readonly TimeSpan Hold = TimeSpan.FromSeconds(7);

    /// <summary>A compare-and-set whose reply is lost was applied: its retry reports that write (its revision), not a
    /// conflict, and the value is there once.</summary>
    public static async Task CompareAndSetAsync(ReplyHoldingProxy proxy, Func<Task<RuntimeBackend>> openThroughProxy)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var backend = await openThroughProxy();
        var store = backend.StateStore("cas");
        Assert.Null(await store.GetAsync("warm-up", timeout.Token)); // the bucket exists before the proxy is armed

        var value = "value-" + Guid.NewGuid().ToString("N");
        var held = proxy.HoldReplyTo(value, Hold);
        var revision = await store.TryUpdateAsync("k", Encoding.UTF8.GetBytes(value), 0, cancellationToken: timeout.Token);
        Assert.True(held.IsCompleted, "the proxy never saw the write, so no reply was lost");

        var entry = await store.GetAsync("k", timeout.Token);
        Assert.NotNull(entry);
        Assert.Equal(value, Encoding.UTF8.GetString(entry.Value.Span));
        Assert.Equal(entry.Revision, revision);
    }

    /// <summary>A worker's result write whose reply is lost: the task has one result and exactly one completed event,
    /// and it is acknowledged (the queue is empty after).</summary>
    /// <param name="openThroughProxy">Opens the worker's backend through the proxy.</param>
    /// <param name="openDirect">Opens a second backend on the same scope straight to the server (producer, observer).</param>
    /// <param name="loseTheEvent">Lose the reply to the completed event's publish instead of the result write's (the
    /// server stored the event; the worker's retry must not store it again).</param>
    public static async Task WorkerResultAsync(ReplyHoldingProxy proxy, Func<Task<RuntimeBackend>> openThroughProxy, Func<Task<RuntimeBackend>> openDirect, bool loseTheEvent = false)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        await using var direct = await openDirect();
        await using var events = await direct.EventBus.SubscribeAsync("task.echo.>", cancellationToken: ct);
        await using var backend = await openThroughProxy();
        var results = backend.StateStore(RuntimeAreas.Results);
        Assert.Null(await results.GetAsync("warm-up", ct)); // the bucket exists before the proxy is armed

        var worker = EchoWorker(backend, "lost-reply-worker");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var ready = new TaskCompletionSource();
        var running = worker.RunAsync(ready.SetResult, stop.Token);
        await ready.Task.WaitAsync(ct);

        // The payload is echoed into the result: the first request carrying it through the proxy is the result write
        // (the task itself is enqueued directly).
        var text = "echo-" + Guid.NewGuid().ToString("N");
        // Only the worker's requests go through the proxy, and only its completed event names that topic.
        var held = proxy.HoldReplyTo(loseTheEvent ? "task.echo.completed" : text, Hold);
        var id = await direct.TaskQueue.EnqueueAsync(TaskRequest.FromText("echo", text), ct);

        var completed = new List<string>();
        await foreach (var e in events.ReadAllAsync(ct))
        {
            if (e.Topic == "task.echo.completed" && e.Text.Contains(id, StringComparison.Ordinal))
            {
                completed.Add(e.Text);
                break;
            }
        }

        Assert.True(held.IsCompleted, $"the proxy never saw the {(loseTheEvent ? "event's publish" : "result write")}, so no reply was lost");
        await stop.CancelAsync();
        await running; // the worker stops cleanly: no error escaped it

        // Nothing more is announced for it, the result is the worker's, and the task is not left in the queue.
        await using var replay = await direct.EventBus.SubscribeAsync("task.echo.completed", new SubscribeOptions(From: 0), ct);
        var all = await ContractTestBase.DrainAsync(replay, TimeSpan.FromSeconds(1));
        Assert.Single(all, e => e.Text.Contains(id, StringComparison.Ordinal));

        var stored = await direct.StateStore(RuntimeAreas.Results).GetAsync(id, ct);
        Assert.NotNull(stored);
        var result = JsonSerializer.Deserialize<TaskResult>(stored.Value.Span, StoredJson.Options)!;
        Assert.Equal(text, result.Result);
        Assert.Empty(await direct.TaskQueue.LeaseAsync(["echo"], 1, TimeSpan.FromMilliseconds(500), ct));
    }

    /// <summary>A worker serving <c>echo</c>, one task at a time, over <paramref name="backend"/>.</summary>
    public static TaskWorker EchoWorker(RuntimeBackend backend, string id) =>
        new(backend.EventBus, backend.TaskQueue, new StoredAgentRegistry(backend.StateStore(RuntimeAreas.Agents)),
            backend.StateStore(RuntimeAreas.Results), new LocalProcessSandbox(Path.GetTempPath()), TaskHandlerRegistry.WithBuiltIns().Only(["echo"]),
            new TaskWorkerOptions { Id = id, Concurrency = 1 }, NullLogger.Instance);
}
