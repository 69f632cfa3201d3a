using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Runtime.Nats;

/// <summary>The EventBus contract on the Nats tier.</summary>
[Collection(NatsCollection.Name)]
public sealed class NatsEventBusTests(NatsServerFixture server) : EventBusContract(new NatsHarness(server));
