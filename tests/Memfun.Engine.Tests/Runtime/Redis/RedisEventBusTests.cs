using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Runtime.Redis;
using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;
using StackExchange.Redis;

namespace Memfun.Engine.Tests.Runtime.Redis;

/// <summary>The EventBus contract on the Redis tier, and the tail reader that feeds live subscriptions.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisEventBusTests(RedisServerFixture server) : EventBusContract(new RedisHarness(server))
{
    [Fact]
    public async Task Events_published_through_another_connection_reach_a_live_subscriber_in_order()
    {
        var bus = (RedisEventBus)(await OpenAsync()).EventBus;
        var other = (await OpenAsync()).EventBus;
        await using var sub = await bus.SubscribeAsync("remote.>", cancellationToken: Ct);
        await UntilLiveAsync(bus, 1);
        for (var i = 0; i < 20; i++)
        {
            await other.PublishAsync(i % 4 == 3 ? "elsewhere.x" : "remote.x", Bytes($"r{i}"), Ct);
        }

        var got = await TakeAsync(sub, 15);
        Assert.Equal(Enumerable.Range(0, 20).Where(i => i % 4 != 3).Select(i => $"r{i}"), got.Select(e => e.Text));
        Assert.Equal(1, bus.LiveSubscriptions);
    }

    [Fact]
    public async Task A_subscriber_whose_buffer_fills_holds_up_no_one_and_gets_every_event_once_in_order_when_it_drains()
    {
        var bus = (RedisEventBus)(await OpenAsync()).EventBus;
        await using var slow = await bus.SubscribeAsync("flood.>", new SubscribeOptions(BufferCapacity: 4), Ct);
        await using var fast = await bus.SubscribeAsync("flood.>", cancellationToken: Ct);
        await UntilLiveAsync(bus, 2);
        var expected = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            var topic = i % 5 == 0 ? "other.x" : $"flood.n{i % 3}";
            await bus.PublishAsync(topic, Bytes($"f{i}"), Ct);
            if (topic.StartsWith("flood.", StringComparison.Ordinal))
            {
                expected.Add($"f{i}");
            }
        }

        // The slow subscriber has read nothing yet: the fast one still gets everything, and the slow one was sent back
        // to catching up (its buffer of 4 could not take the rest), so only the fast one is live.
        var fastGot = await TakeAsync(fast, expected.Count);
        Assert.Equal(expected, fastGot.Select(e => e.Text));
        Assert.Equal(1, bus.LiveSubscriptions);

        var slowGot = await TakeAsync(slow, expected.Count);
        Assert.Equal(expected, slowGot.Select(e => e.Text));
        Assert.Equal(fastGot.Select(e => e.Sequence), slowGot.Select(e => e.Sequence));

        // Drained, it goes live again and keeps receiving.
        await UntilLiveAsync(bus, 2);
        await bus.PublishAsync("flood.last", Bytes("last"), Ct);
        Assert.Equal("last", (await TakeAsync(slow, 1))[0].Text);
        Assert.Equal("last", (await TakeAsync(fast, 1))[0].Text);
    }

    [Fact]
    public async Task The_tail_readers_own_connection_opens_with_the_first_subscription_and_closes_with_the_backend()
    {
        await using var admin = await ConnectionMultiplexer.ConnectAsync(server.Url["redis://".Length..] + ",allowAdmin=true");
        var redis = admin.GetServer(admin.GetEndPoints()[0]);
        var name = RedisTailReader.ClientNameFor(Scope + ":events");
        async Task<int> CountAsync() => (await redis.ClientListAsync()).Count(c => c.Name == name);

        var backend = await Harness.OpenAsync(Scope);
        await backend.EventBus.PublishAsync("tail.a", Bytes("no reader yet"), Ct);
        Assert.Equal(0, await CountAsync());

        var sub = await backend.EventBus.SubscribeAsync("tail.>", cancellationToken: Ct);
        await UntilLiveAsync((RedisEventBus)backend.EventBus, 1);
        Assert.Equal(1, await CountAsync());

        await sub.DisposeAsync();
        await backend.DisposeAsync();
        while (await CountAsync() > 0)
        {
            await Task.Delay(10, Ct);
        }
    }

    /// <summary>Waits (until the test's timeout) for <paramref name="count"/> subscriptions to be fed by the tail reader.</summary>
    private async Task UntilLiveAsync(RedisEventBus bus, int count)
    {
        while (bus.LiveSubscriptions < count)
        {
            await Task.Delay(5, Ct);
        }
    }
}
