using System.Collections.Concurrent;
using Memfun.Engine.Runtime.Abstractions;

namespace Memfun.Engine.Tests.Runtime.Contracts;

/// <summary>The <see cref="ITaskQueue"/> contract, run unchanged on every tier.</summary>
public abstract class TaskQueueContract : ContractTestBase
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private protected TaskQueueContract(TierHarness harness) : base(harness) { }

    private async Task<ITaskQueue> QueueAsync(TaskQueueOptions? options = null) => (await OpenAsync(options)).TaskQueue;

    [Fact]
    public async Task A_task_is_leased_with_its_payload_and_gone_once_acked()
    {
        var queue = await QueueAsync();
        var id = await queue.EnqueueAsync(TaskRequest.FromText("echo", "{\"text\":\"hi\"}"), Ct);
        var leases = await queue.LeaseAsync(["echo"], 10, Wait, Ct);
        var lease = Assert.Single(leases);
        Assert.Equal((id, "echo", "{\"text\":\"hi\"}", 1), (lease.Id, lease.Kind, lease.Text, lease.Attempt));
        Assert.True(await queue.AckAsync(lease, Ct));
        Assert.Empty(await queue.LeaseAsync(["echo"], 10, TimeSpan.FromMilliseconds(300), Ct));
    }

    [Fact]
    public async Task Higher_priority_is_leased_first_then_first_in_first_out()
    {
        var queue = await QueueAsync();
        await queue.EnqueueAsync(TaskRequest.FromText("job", "low", TaskPriority.Low), Ct);
        await queue.EnqueueAsync(TaskRequest.FromText("job", "normal-1"), Ct);
        await queue.EnqueueAsync(TaskRequest.FromText("job", "high", TaskPriority.High), Ct);
        await queue.EnqueueAsync(TaskRequest.FromText("job", "normal-2"), Ct);
        var order = new List<string>();
        while (order.Count < 4)
        {
            foreach (var l in await queue.LeaseAsync(["job"], 1, Wait, Ct))
            {
                order.Add(l.Text);
                await queue.AckAsync(l, Ct);
            }
        }

        Assert.Equal(["high", "normal-1", "normal-2", "low"], order);
    }

    [Fact]
    public async Task A_lease_of_several_takes_higher_priority_first_and_tells_when_each_was_enqueued()
    {
        var queue = await QueueAsync();
        // A second either side: a tier may take the time from its server's clock, to the millisecond.
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await queue.EnqueueAsync(TaskRequest.FromText("mix", "low", TaskPriority.Low), Ct);
        await queue.EnqueueAsync(TaskRequest.FromText("mix", "normal-1"), Ct);
        await queue.EnqueueAsync(TaskRequest.FromText("mix", "high", TaskPriority.High), Ct);
        await queue.EnqueueAsync(TaskRequest.FromText("mix", "normal-2"), Ct);
        var after = DateTimeOffset.UtcNow.AddSeconds(1);
        var leases = new List<TaskLease>();
        while (leases.Count < 3)
        {
            leases.AddRange(await queue.LeaseAsync(["mix"], 3 - leases.Count, Wait, Ct));
        }

        Assert.Equal(["high", "normal-1", "normal-2"], leases.Select(l => l.Text));
        Assert.All(leases, l => Assert.InRange(l.EnqueuedAt, before, after));
        var acked = await Task.WhenAll(leases.Select(l => queue.AckAsync(l, Ct).AsTask()));
        Assert.All(acked, Assert.True);
        var rest = Assert.Single(await queue.LeaseAsync(["mix"], 10, Wait, Ct));
        Assert.Equal(("low", 1), (rest.Text, rest.Attempt));
    }

    [Fact]
    public async Task Enqueues_with_one_idempotency_key_make_one_task()
    {
        var queue = await QueueAsync();
        var a = await queue.EnqueueAsync(TaskRequest.FromText("once", "first", idempotencyKey: "order-42"), Ct);
        var b = await queue.EnqueueAsync(TaskRequest.FromText("once", "second", idempotencyKey: "order-42"), Ct);
        var c = await queue.EnqueueAsync(TaskRequest.FromText("once", "other", idempotencyKey: "order-43"), Ct);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        var leased = await queue.LeaseAsync(["once"], 10, Wait, Ct);
        if (leased.Count < 2)
        {
            leased = [.. leased, .. await queue.LeaseAsync(["once"], 10, Wait, Ct)];
        }

        Assert.Equal(["first", "other"], leased.Select(l => l.Text).Order());
        Assert.Empty(await queue.LeaseAsync(["once"], 10, TimeSpan.FromMilliseconds(300), Ct));
    }

    [Fact]
    public async Task A_lease_that_is_never_acked_is_delivered_again_after_the_visibility_timeout()
    {
        var queue = await QueueAsync(new TaskQueueOptions { VisibilityTimeout = TimeSpan.FromSeconds(1) });
        var id = await queue.EnqueueAsync(TaskRequest.FromText("crashy", "payload"), Ct);
        var first = Assert.Single(await queue.LeaseAsync(["crashy"], 1, Wait, Ct));
        Assert.Empty(await queue.LeaseAsync(["crashy"], 1, TimeSpan.FromMilliseconds(200), Ct));
        // The worker "dies": no ack. After the timeout the task comes back.
        var again = Assert.Single(await queue.LeaseAsync(["crashy"], 1, TimeSpan.FromSeconds(10), Ct));
        Assert.Equal((id, 2, "payload"), (again.Id, again.Attempt, again.Text));
        Assert.Equal(1, first.Attempt);
        await queue.AckAsync(again, Ct);
        Assert.Empty(await queue.LeaseAsync(["crashy"], 1, TimeSpan.FromSeconds(1.5), Ct));
    }

    [Fact]
    public async Task Extending_a_lease_keeps_the_task_from_redelivery()
    {
        var queue = await QueueAsync(new TaskQueueOptions { VisibilityTimeout = TimeSpan.FromSeconds(2) });
        await queue.EnqueueAsync(TaskRequest.FromText("long", "work"), Ct);
        var lease = Assert.Single(await queue.LeaseAsync(["long"], 1, Wait, Ct));
        for (var i = 0; i < 5; i++)
        {
            await Task.Delay(500, Ct);
            await queue.ExtendAsync(lease, Ct);
        }

        Assert.Empty(await queue.LeaseAsync(["long"], 1, TimeSpan.FromMilliseconds(300), Ct));
        Assert.True(await queue.AckAsync(lease, Ct));
    }

    [Fact]
    public async Task A_nacked_task_comes_back_after_its_retry_delay_and_is_dead_lettered_after_max_attempts()
    {
        var queue = await QueueAsync(new TaskQueueOptions { MaxAttempts = 2, VisibilityTimeout = TimeSpan.FromSeconds(30) });
        var id = await queue.EnqueueAsync(TaskRequest.FromText("flaky", "try me"), Ct);
        var first = Assert.Single(await queue.LeaseAsync(["flaky"], 1, Wait, Ct));
        await queue.NackAsync(first, TimeSpan.FromMilliseconds(500), "boom 1", Ct);
        var second = Assert.Single(await queue.LeaseAsync(["flaky"], 1, TimeSpan.FromSeconds(10), Ct));
        Assert.Equal((id, 2), (second.Id, second.Attempt));
        await queue.NackAsync(second, TimeSpan.Zero, "boom 2", Ct);
        Assert.Empty(await queue.LeaseAsync(["flaky"], 1, TimeSpan.FromSeconds(1.5), Ct));
        var dead = Assert.Single(await queue.ListDeadAsync("flaky", Ct).ToListAsync(Ct));
        Assert.Equal((id, "try me", 2, "boom 2"), (dead.Id, System.Text.Encoding.UTF8.GetString(dead.Payload.Span), dead.Attempts, dead.Reason));
    }

    [Fact]
    public async Task Lease_takes_only_the_kinds_asked_for()
    {
        var queue = await QueueAsync();
        await queue.EnqueueAsync(TaskRequest.FromText("alpha", "a"), Ct);
        await queue.EnqueueAsync(TaskRequest.FromText("beta", "b"), Ct);
        var leased = await queue.LeaseAsync(["beta"], 10, Wait, Ct);
        Assert.Equal(["b"], leased.Select(l => l.Text));
        var alpha = await queue.LeaseAsync(["gamma", "alpha"], 10, Wait, Ct);
        Assert.Equal(["a"], alpha.Select(l => l.Text));
        await Assert.ThrowsAsync<ArgumentException>(async () => await queue.EnqueueAsync(TaskRequest.FromText("bad kind", "x"), Ct));
    }

    [Fact]
    public async Task Concurrent_workers_on_two_connections_each_get_every_task_exactly_once()
    {
        var producer = await QueueAsync();
        var other = (await OpenAsync()).TaskQueue;
        const int total = 200;
        for (var i = 0; i < total; i++)
        {
            await producer.EnqueueAsync(TaskRequest.FromText("bulk", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), Ct);
        }

        var seen = new ConcurrentDictionary<string, int>();
        async Task Work(ITaskQueue q)
        {
            while (seen.Count < total && !Ct.IsCancellationRequested)
            {
                foreach (var l in await q.LeaseAsync(["bulk"], 7, TimeSpan.FromMilliseconds(200), Ct))
                {
                    seen.AddOrUpdate(l.Text, 1, (_, n) => n + 1);
                    await q.AckAsync(l, Ct);
                }
            }
        }

        await Task.WhenAll(Work(producer), Work(producer), Work(other), Work(other));
        Assert.Equal(total, seen.Count);
        Assert.All(seen.Values, n => Assert.Equal(1, n));
    }
}
