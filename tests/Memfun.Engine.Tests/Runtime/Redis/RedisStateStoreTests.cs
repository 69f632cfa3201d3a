using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Runtime.Redis;

/// <summary>The StateStore contract on the Redis tier.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisStateStoreTests(RedisServerFixture server) : StateStoreContract(new RedisHarness(server));
