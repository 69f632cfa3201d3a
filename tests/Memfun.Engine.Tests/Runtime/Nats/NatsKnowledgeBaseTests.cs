using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Runtime.Nats;

/// <summary>The KnowledgeBase contract on the Nats tier.</summary>
[Collection(NatsCollection.Name)]
public sealed class NatsKnowledgeBaseTests(NatsServerFixture server) : KnowledgeBaseContract(new NatsHarness(server));
