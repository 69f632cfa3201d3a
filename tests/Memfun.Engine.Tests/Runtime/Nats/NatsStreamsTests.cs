using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Runtime.Nats;
using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;
using NATS.Client.JetStream.Models;

namespace Memfun.Engine.Tests.Runtime.Nats;

/// <summary>Streams memfun did not make as it needs them are reported, not silently used.</summary>
[Collection(NatsCollection.Name)]
public sealed class NatsStreamsTests(NatsServerFixture nats)
{
    [Fact]
    public async Task An_existing_events_stream_with_other_limits_is_reported_naming_the_stream_and_the_fix()
    {
        await using var backend = await NatsBackend.ConnectAsync(nats.Url, TierHarness.NewScope());
        await backend.JetStream.CreateStreamAsync(new StreamConfig(backend.Prefix + "_EVENTS", [backend.Prefix + ".ev.>"]) { MaxMsgs = 10 });

        var ex = await Assert.ThrowsAsync<RuntimeUnavailableException>(async () => await backend.EventBus.PublishAsync("a.b", "x"u8.ToArray()));
        Assert.Contains(backend.Prefix + "_EVENTS", ex.Message, StringComparison.Ordinal);
        Assert.Contains("max_msgs 10, memfun needs 1000000", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_existing_bucket_with_one_replica_is_refused_when_memfun_is_configured_for_three()
    {
        var scope = TierHarness.NewScope();
        await using (var one = await NatsBackend.ConnectAsync(nats.Url, scope))
        {
            await one.StateStore("area").PutAsync("k", "v"u8.ToArray());
        }

        await using var three = await NatsBackend.ConnectAsync(nats.Url, scope, replicas: 3);
        var ex = await Assert.ThrowsAsync<RuntimeUnavailableException>(async () => await three.StateStore("area").GetAsync("k"));
        Assert.Contains("1 replica(s), memfun is configured for 3 ([backend.nats] replicas)", ex.Message, StringComparison.Ordinal);
    }
}
