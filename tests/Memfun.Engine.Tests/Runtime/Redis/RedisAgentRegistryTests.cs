using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Runtime.Redis;

/// <summary>The AgentRegistry contract on the Redis tier.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisAgentRegistryTests(RedisServerFixture server) : AgentRegistryContract(new RedisHarness(server));
