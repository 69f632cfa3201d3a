using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Runtime.Redis;

/// <summary>The KnowledgeBase contract on the Redis tier.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisKnowledgeBaseTests(RedisServerFixture server) : KnowledgeBaseContract(new RedisHarness(server));
