using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Runtime.Nats;

/// <summary>The StateStore contract on the Nats tier.</summary>
[Collection(NatsCollection.Name)]
public sealed class NatsStateStoreTests(NatsServerFixture server) : StateStoreContract(new NatsHarness(server));
