namespace Memfun.Engine.Tests.Runtime.Contracts;

/// <summary>The <see cref="Memfun.Engine.Runtime.Abstractions.IEventBus"/> contract, run unchanged on every tier.</summary>
public abstract class EventBusContract : ContractTestBase
{
    private protected EventBusContract(TierHarness harness) : base(harness) { }

    [Fact]
    public async Task A_subscriber_gets_matching_events_in_publish_order_and_nothing_else()
    {
        var bus = (await OpenAsync()).EventBus;
        await using var sub = await bus.SubscribeAsync("task.*.done", cancellationToken: Ct);
        for (var i = 0; i < 50; i++)
        {
            await bus.PublishAsync(i % 2 == 0 ? "task.echo.done" : "task.sleep.started", Bytes($"e{i}"), Ct);
        }

        await bus.PublishAsync("task.echo.done.extra", Bytes("deeper"), Ct);
        await bus.PublishAsync("task.last.done", Bytes("end"), Ct);
        var got = await TakeAsync(sub, 26);
        Assert.Equal([.. Enumerable.Range(0, 25).Select(i => $"e{i * 2}"), "end"], got.Select(e => e.Text));
        Assert.Equal("task.last.done", got[^1].Topic);
        Assert.True(got.Zip(got.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence), "sequences increase");
    }

    [Theory]
    [InlineData("agent.>")]
    [InlineData("agent.**")]
    public async Task A_tail_wildcard_matches_one_or_more_trailing_segments(string pattern)
    {
        var bus = (await OpenAsync()).EventBus;
        await using var sub = await bus.SubscribeAsync(pattern, cancellationToken: Ct);
        await bus.PublishAsync("agent", Bytes("bare"), Ct);
        await bus.PublishAsync("agentx.a", Bytes("other"), Ct);
        await bus.PublishAsync("agent.a", Bytes("one"), Ct);
        await bus.PublishAsync("agent.a.b.c", Bytes("three"), Ct);
        Assert.Equal(["one", "three"], (await TakeAsync(sub, 2)).Select(e => e.Text));
    }

    [Fact]
    public async Task Every_subscriber_gets_every_event_and_a_late_subscriber_gets_only_later_ones()
    {
        var bus = (await OpenAsync()).EventBus;
        await using var first = await bus.SubscribeAsync("log.>", cancellationToken: Ct);
        await bus.PublishAsync("log.a", Bytes("1"), Ct);
        await using var second = await bus.SubscribeAsync("log.>", cancellationToken: Ct);
        await bus.PublishAsync("log.b", Bytes("2"), Ct);
        await bus.PublishAsync("log.c", Bytes("3"), Ct);
        Assert.Equal(["1", "2", "3"], (await TakeAsync(first, 3)).Select(e => e.Text));
        Assert.Equal(["2", "3"], (await TakeAsync(second, 2)).Select(e => e.Text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a..b")]
    [InlineData("has space")]
    [InlineData("a.*")]
    public async Task A_bad_topic_is_refused_with_an_argument_error(string topic)
    {
        var bus = (await OpenAsync()).EventBus;
        var ex = await Assert.ThrowsAsync<ArgumentException>(async () => await bus.PublishAsync(topic, Bytes("x"), Ct));
        Assert.Contains("topic", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Durable_tiers_replay_from_a_sequence_and_the_in_process_tier_refuses()
    {
        var bus = (await OpenAsync()).EventBus;
        var seqs = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            seqs.Add(await bus.PublishAsync("replay.x", Bytes($"r{i}"), Ct));
        }

        if (!bus.IsDurable)
        {
            Assert.Equal("in-process", Harness.Tier);
            await Assert.ThrowsAsync<NotSupportedException>(async () => await bus.SubscribeAsync("replay.>", new(From: seqs[2]), Ct));
            return;
        }

        await using (var fromThird = await bus.SubscribeAsync("replay.>", new(From: seqs[2]), Ct))
        {
            var got = await TakeAsync(fromThird, 3);
            Assert.Equal(["r2", "r3", "r4"], got.Select(e => e.Text));
            Assert.Equal(seqs[2..], got.Select(e => e.Sequence));
        }

        await using var all = await bus.SubscribeAsync("replay.>", new(From: 0), Ct);
        Assert.Equal(["r0", "r1", "r2", "r3", "r4"], (await TakeAsync(all, 5)).Select(e => e.Text));
    }

    [Fact]
    public async Task A_disposed_subscription_ends_its_stream()
    {
        var bus = (await OpenAsync()).EventBus;
        var sub = await bus.SubscribeAsync("end.>", cancellationToken: Ct);
        await bus.PublishAsync("end.a", Bytes("before"), Ct);
        var reading = Task.Run(async () =>
        {
            var seen = new List<string>();
            await foreach (var e in sub.ReadAllAsync(Ct))
            {
                seen.Add(e.Text);
            }

            return seen;
        });
        await Task.Delay(300, Ct);
        await sub.DisposeAsync();
        var seen = await reading;
        Assert.True(seen.Count <= 1);
    }
}
