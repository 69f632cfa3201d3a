using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Runtime.Redis;

/// <summary>The SessionStore contract on the Redis tier.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisSessionStoreTests(RedisServerFixture server) : SessionStoreContract(new RedisHarness(server));
