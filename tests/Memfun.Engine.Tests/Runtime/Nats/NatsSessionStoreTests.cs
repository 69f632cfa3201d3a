using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Runtime.Nats;

/// <summary>The SessionStore contract on the Nats tier.</summary>
[Collection(NatsCollection.Name)]
public sealed class NatsSessionStoreTests(NatsServerFixture server) : SessionStoreContract(new NatsHarness(server));
