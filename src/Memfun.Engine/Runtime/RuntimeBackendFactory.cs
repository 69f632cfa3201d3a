using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Runtime.InProcess;
using Memfun.Engine.Runtime.Nats;
using Memfun.Engine.Runtime.Redis;
using Memfun.Engine.Runtime.Sqlite;

namespace Memfun.Engine.Runtime;

/// <summary>Opens the configured tier.</summary>
internal static class RuntimeBackendFactory
{
    public static async Task<RuntimeBackend> OpenAsync(RuntimeOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options.Tier switch
        {
            RuntimeTier.InProcess => new InProcessBackend(options.Tasks),
            RuntimeTier.Sqlite => new SqliteBackend(Path.GetFullPath(Path.Combine(options.Workspace, options.SqlitePath)), options.Tasks),
            RuntimeTier.Redis => await RedisBackend.ConnectAsync(options.RedisUrl, options.Prefix, options.Tasks, cancellationToken).ConfigureAwait(false),
            RuntimeTier.Nats => await NatsBackend.ConnectAsync(options.NatsUrl, options.Prefix, options.Tasks, options.NatsReplicas, cancellationToken).ConfigureAwait(false),
            _ => throw new RuntimeUnavailableException($"Unknown backend tier {options.Tier}."),
        };
    }
}
