using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Runtime.Redis;

/// <summary>The ToolRegistry contract on the Redis tier.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisToolRegistryTests(RedisServerFixture server) : ToolRegistryContract(new RedisHarness(server));
