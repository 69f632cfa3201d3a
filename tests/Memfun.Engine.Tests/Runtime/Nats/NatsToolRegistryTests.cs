using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Runtime.Nats;

/// <summary>The ToolRegistry contract on the Nats tier.</summary>
[Collection(NatsCollection.Name)]
public sealed class NatsToolRegistryTests(NatsServerFixture server) : ToolRegistryContract(new NatsHarness(server));
