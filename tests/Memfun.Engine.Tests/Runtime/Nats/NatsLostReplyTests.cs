using Memfun.Engine.Runtime;
using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Runtime.Nats;
using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Runtime.Nats;

/// <summary>nats-server replies that come too late (held by a proxy): a KV write applied but unanswered, a JetStream
/// API request unanswered. Nothing is lost, nothing announced twice, no worker dies.</summary>
[Collection(NatsCollection.Name)]
public sealed class NatsLostReplyTests(NatsServerFixture nats) : LostReplyContract(nats.Server.Port)
{
    [Fact]
    public async Task A_worker_rides_out_a_JetStream_API_request_that_gets_no_reply()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        await using var direct = await DirectAsync();
        await using var backend = await ThroughProxyAsync();

        // The worker's first JetStream API request (creating its registry bucket) gets no reply in time.
        var held = Proxy.HoldReplyTo("$JS.API.STREAM.", LostReplyScenario.Hold);
        var worker = LostReplyScenario.EchoWorker(backend, "no-reply-worker");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var ready = new TaskCompletionSource();
        var running = worker.RunAsync(ready.SetResult, stop.Token);
        await Task.WhenAny(ready.Task, running).Unwrap().WaitAsync(ct); // a worker that died fails here with its error
        Assert.True(held.IsCompleted, "the proxy never saw a JetStream API request, so no reply was lost");

        await using var events = await direct.EventBus.SubscribeAsync("task.echo.completed", cancellationToken: ct);
        var id = await direct.TaskQueue.EnqueueAsync(TaskRequest.FromText("echo", "after the silence"), ct);
        await foreach (var e in events.ReadAllAsync(ct))
        {
            if (e.Text.Contains(id, StringComparison.Ordinal))
            {
                break;
            }
        }

        await stop.CancelAsync();
        await running;
    }

    private protected override async Task<RuntimeBackend> ThroughProxyAsync() =>
        await NatsBackend.ConnectAsync($"nats://127.0.0.1:{Proxy.Port}", Scope, new TaskQueueOptions { VisibilityTimeout = TimeSpan.FromSeconds(3) });

    private protected override async Task<RuntimeBackend> DirectAsync() => await NatsBackend.ConnectAsync(nats.Url, Scope);
}
