using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Runtime.Redis;

/// <summary>The EventBus contract on the Redis tier.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisEventBusTests(RedisServerFixture server) : EventBusContract(new RedisHarness(server));
