using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Runtime.Redis;

/// <summary>The TaskQueue contract on the Redis tier.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisTaskQueueTests(RedisServerFixture server) : TaskQueueContract(new RedisHarness(server));
