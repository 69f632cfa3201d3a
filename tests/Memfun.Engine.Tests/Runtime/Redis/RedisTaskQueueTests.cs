using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Runtime.Redis;
using StackExchange.Redis;
using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Runtime.Redis;

/// <summary>The TaskQueue contract on the Redis tier, and what only the Redis tier promises.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisTaskQueueTests(RedisServerFixture server) : TaskQueueContract(new RedisHarness(server))
{
    [Fact]
    public async Task An_ack_of_a_lease_whose_task_was_redelivered_and_acked_elsewhere_returns_false()
    {
        var queue = (await OpenAsync(new TaskQueueOptions { VisibilityTimeout = TimeSpan.FromSeconds(1) })).TaskQueue;
        await queue.EnqueueAsync(TaskRequest.FromText("stale", "x"), Ct);
        var first = Assert.Single(await queue.LeaseAsync(["stale"], 1, TimeSpan.FromSeconds(5), Ct));
        var again = Assert.Single(await queue.LeaseAsync(["stale"], 1, TimeSpan.FromSeconds(10), Ct));
        Assert.Equal(2, again.Attempt);
        Assert.True(await queue.AckAsync(again, Ct));
        Assert.False(await queue.AckAsync(first, Ct));
    }

    [Fact]
    public async Task A_task_whose_last_lease_expires_is_dead_lettered_not_delivered_again()
    {
        var queue = (await OpenAsync(new TaskQueueOptions { MaxAttempts = 1, VisibilityTimeout = TimeSpan.FromSeconds(1) })).TaskQueue;
        var id = await queue.EnqueueAsync(TaskRequest.FromText("doomed", "payload"), Ct);
        Assert.Single(await queue.LeaseAsync(["doomed"], 1, TimeSpan.FromSeconds(5), Ct));
        // The worker dies; after the timeout the task has no attempt left.
        Assert.Empty(await queue.LeaseAsync(["doomed"], 1, TimeSpan.FromSeconds(2.5), Ct));
        var dead = Assert.Single(await queue.ListDeadAsync("doomed", Ct).ToListAsync(Ct));
        Assert.Equal((id, "payload", 1, "lease expired on the last attempt"),
            (dead.Id, System.Text.Encoding.UTF8.GetString(dead.Payload.Span), dead.Attempts, dead.Reason));
    }

    [Fact]
    public async Task A_high_priority_task_enqueued_by_another_process_rings_the_bell_that_reopens_an_empty_priority()
    {
        var worker = (RedisTaskQueue)(await OpenAsync()).TaskQueue;
        await DoorbellScenario.A_bell_from_another_process_reopens_an_empty_priority(worker, worker.Doorbells, (await OpenAsync()).TaskQueue, Ct);
    }

    [Fact]
    public async Task A_high_priority_task_from_a_producer_that_rings_no_bell_is_still_leased()
    {
        var backend = (RedisBackend)await OpenAsync();
        var queue = backend.TaskQueue;
        await queue.EnqueueAsync(TaskRequest.FromText("silent", "first"), Ct);
        Assert.Single(await queue.LeaseAsync(["silent"], 1, TimeSpan.FromSeconds(5), Ct));
        Assert.Empty(await queue.LeaseAsync(["silent"], 1, TimeSpan.FromMilliseconds(300), Ct));

        // Straight into the high-priority stream, as another client would: no bell rings.
        await backend.Database.StreamAddAsync(backend.Key("q:silent:0"), [new NameValueEntry("id", "from-cli"), new NameValueEntry("p", "quiet")]);
        var lease = Assert.Single(await queue.LeaseAsync(["silent"], 1, TimeSpan.FromSeconds(5), Ct));

        Assert.Equal(("from-cli", "quiet", TaskPriority.High), (lease.Id, lease.Text, lease.Priority));
        Assert.True(await queue.AckAsync(lease, Ct));
    }
}
