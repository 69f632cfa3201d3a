using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.McpServer.Tests.Agents;

/// <summary>Workflows that survive their coordinator on a real <c>nats-server -js</c> through the shared fixture.</summary>
[Collection(NatsCollection.Name)]
public sealed class DurableWorkflowOnNatsTests(NatsServerFixture nats) : DurableWorkflowScenarios
{
    protected override Dictionary<string, string?> Backend(string prefix) => new()
    {
        ["MEMFUN_BACKEND__TIER"] = "nats",
        ["MEMFUN_BACKEND__NATS__URL"] = nats.Url,
        ["MEMFUN_BACKEND__PREFIX"] = prefix,
    };
}
