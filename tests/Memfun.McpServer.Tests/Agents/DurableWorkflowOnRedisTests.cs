using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.McpServer.Tests.Agents;

/// <summary>Workflows that survive their coordinator on a real <c>redis-server</c> (appendonly) through the shared fixture.</summary>
[Collection(RedisCollection.Name)]
public sealed class DurableWorkflowOnRedisTests(RedisServerFixture redis) : DurableWorkflowScenarios
{
    protected override Dictionary<string, string?> Backend(string prefix) => new()
    {
        ["MEMFUN_BACKEND__TIER"] = "redis",
        ["MEMFUN_BACKEND__REDIS__URL"] = redis.Url,
        ["MEMFUN_BACKEND__PREFIX"] = prefix,
    };
}
