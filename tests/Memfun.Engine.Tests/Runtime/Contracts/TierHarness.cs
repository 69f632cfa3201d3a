using Memfun.Engine.Runtime;
using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Runtime.InProcess;
using Memfun.Engine.Runtime.Nats;
using Memfun.Engine.Runtime.Redis;
using Memfun.Engine.Runtime.Sqlite;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Runtime.Contracts;

/// <summary>Opens a tier's backend for a contract test. Two opens with the same scope share data, like two nodes.</summary>
internal abstract class TierHarness
{
    public abstract string Tier { get; }

    public abstract Task<RuntimeBackend> OpenAsync(string scope, TaskQueueOptions? tasks = null);

    /// <summary>A fresh scope: a unique prefix (servers) or file (SQLite) per test.</summary>
    public static string NewScope() => "t" + Guid.NewGuid().ToString("N")[..12];
}

internal sealed class InProcessHarness : TierHarness
{
    private readonly Dictionary<string, InProcessBackend> _shared = [];

    public override string Tier => "in-process";

    public override Task<RuntimeBackend> OpenAsync(string scope, TaskQueueOptions? tasks = null)
    {
        lock (_shared)
        {
            if (!_shared.TryGetValue(scope, out var backend))
            {
                backend = new InProcessBackend(tasks);
                _shared[scope] = backend;
            }

            return Task.FromResult<RuntimeBackend>(backend);
        }
    }
}

internal sealed class SqliteHarness : TierHarness
{
    private readonly string _dir = Directory.CreateTempSubdirectory("memfun-sqlite-").FullName;

    public override string Tier => "sqlite";

    public override Task<RuntimeBackend> OpenAsync(string scope, TaskQueueOptions? tasks = null) =>
        Task.FromResult<RuntimeBackend>(new SqliteBackend(Path.Combine(_dir, scope + ".db"), tasks));
}

internal sealed class RedisHarness(RedisServerFixture server) : TierHarness
{
    public override string Tier => "redis";

    public override async Task<RuntimeBackend> OpenAsync(string scope, TaskQueueOptions? tasks = null) =>
        await RedisBackend.ConnectAsync(server.Url, scope, tasks);
}

internal sealed class NatsHarness(NatsServerFixture server) : TierHarness
{
    public override string Tier => "nats";

    public override async Task<RuntimeBackend> OpenAsync(string scope, TaskQueueOptions? tasks = null) =>
        await NatsBackend.ConnectAsync(server.Url, scope, tasks);
}

internal sealed class NatsClusterHarness(NatsClusterFixture cluster) : TierHarness
{
    public override string Tier => "nats-cluster";

    public override async Task<RuntimeBackend> OpenAsync(string scope, TaskQueueOptions? tasks = null) =>
        await NatsBackend.ConnectAsync(cluster.Url, scope, tasks, replicas: 3);
}
