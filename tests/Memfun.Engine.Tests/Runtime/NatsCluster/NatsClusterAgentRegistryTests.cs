using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Runtime.NatsCluster;

/// <summary>The AgentRegistry contract on a three-server NATS cluster, every stream and bucket with three replicas.</summary>
[Collection(NatsClusterCollection.Name)]
public sealed class NatsClusterAgentRegistryTests(NatsClusterFixture cluster) : AgentRegistryContract(new NatsClusterHarness(cluster));
