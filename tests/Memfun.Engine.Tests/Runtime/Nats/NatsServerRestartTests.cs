using Memfun.Engine.Runtime.Nats;
using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Runtime.Nats;

/// <summary>nats-server killed and restarted under load on the same JetStream store folder.</summary>
[Collection(NatsCollection.Name)]
public sealed class NatsServerRestartTests(NatsServerFixture nats)
{
    [Fact]
    public async Task A_restart_under_load_loses_no_acknowledged_event_or_task_and_the_client_reconnects() =>
        await ServerRestartScenario.RunAsync(nats.Server, async () => await NatsBackend.ConnectAsync(nats.Url, TierHarness.NewScope()));
}
