using Memfun.Engine.Runtime.Redis;
using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Runtime.Redis;

/// <summary>Redis killed and restarted under load (append-only file, fsync always).</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisServerRestartTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_restart_under_load_loses_no_acknowledged_event_or_task_and_the_client_reconnects() =>
        await ServerRestartScenario.RunAsync(redis.Server, async () => await RedisBackend.ConnectAsync(redis.Url, TierHarness.NewScope()));
}
