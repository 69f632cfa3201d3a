using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Runtime.Nats;

/// <summary>The TaskQueue contract on the Nats tier.</summary>
[Collection(NatsCollection.Name)]
public sealed class NatsTaskQueueTests(NatsServerFixture server) : TaskQueueContract(new NatsHarness(server));
