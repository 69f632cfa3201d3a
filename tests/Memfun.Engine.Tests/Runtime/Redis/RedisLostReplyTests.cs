using Memfun.Engine.Runtime;
using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Runtime.Redis;
using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Runtime.Redis;

/// <summary>redis-server replies that come too late (held by a proxy): a compare-and-set script applied but unanswered.
/// Its retry recognises its own write, so the result is announced exactly once.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisLostReplyTests(RedisServerFixture redis) : LostReplyContract(redis.Server.Port)
{
    private protected override async Task<RuntimeBackend> ThroughProxyAsync() =>
        await RedisBackend.ConnectAsync($"127.0.0.1:{Proxy.Port}", Scope, new TaskQueueOptions { VisibilityTimeout = TimeSpan.FromSeconds(3) });

    private protected override async Task<RuntimeBackend> DirectAsync() => await RedisBackend.ConnectAsync(redis.Url, Scope);
}
