using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Runtime.NatsCluster;

/// <summary>The ToolRegistry contract on a three-server NATS cluster, every stream and bucket with three replicas.</summary>
[Collection(NatsClusterCollection.Name)]
public sealed class NatsClusterToolRegistryTests(NatsClusterFixture cluster) : ToolRegistryContract(new NatsClusterHarness(cluster));
