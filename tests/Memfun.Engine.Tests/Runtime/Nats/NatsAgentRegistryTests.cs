using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Runtime.Nats;

/// <summary>The AgentRegistry contract on the Nats tier.</summary>
[Collection(NatsCollection.Name)]
public sealed class NatsAgentRegistryTests(NatsServerFixture server) : AgentRegistryContract(new NatsHarness(server));
