using System.Globalization;
using Memfun.Engine.Runtime.Abstractions;
using Microsoft.Extensions.Configuration;

namespace Memfun.Engine.Runtime;

/// <summary>Which tier the runtime uses and how to reach it: <c>[backend]</c> in <c>~/.memfun/config.toml</c> (never a project file).</summary>
/// <remarks>
/// <code>
/// [backend]
/// tier = "sqlite"            # in-process | sqlite | redis | nats (default sqlite)
/// prefix = "memfun"          # names streams, buckets and keys, so several projects can share a server
/// [backend.sqlite]
/// path = ".memfun/runtime.db" # relative to the workspace
/// [backend.redis]
/// url = "redis://127.0.0.1:6379"
/// [backend.nats]
/// url = "nats://127.0.0.1:4222"   # or urls = ["nats://a:4222", "nats://b:4222", "nats://c:4222"]
/// replicas = 1                     # 3 for a three-server cluster
/// [backend.tasks]
/// visibility_timeout_seconds = 30
/// max_attempts = 5
/// </code>
/// </remarks>
public sealed class RuntimeOptions
{
    /// <summary>The tier. Default <see cref="RuntimeTier.Sqlite"/>.</summary>
    public RuntimeTier Tier { get; set; } = RuntimeTier.Sqlite;

    /// <summary>The workspace the SQLite file lives under. Default: the current directory.</summary>
    public string Workspace { get; set; } = Directory.GetCurrentDirectory();

    /// <summary>The SQLite file, relative to <see cref="Workspace"/> or absolute. Default <c>.memfun/runtime.db</c>.</summary>
    public string SqlitePath { get; set; } = Path.Combine(".memfun", "runtime.db");

    /// <summary>Redis address. Default <c>redis://127.0.0.1:6379</c>.</summary>
    public string RedisUrl { get; set; } = "redis://127.0.0.1:6379";

    /// <summary>NATS address, or a cluster's seed servers separated by commas (<c>[backend.nats] urls</c> sets it from a
    /// list). Default <c>nats://127.0.0.1:4222</c>.</summary>
    public string NatsUrl { get; set; } = "nats://127.0.0.1:4222";

    /// <summary>Replicas of every NATS stream and KV bucket memfun creates: 1 on one server, 3 for a three-server
    /// cluster; 1–5. Default 1.</summary>
    public int NatsReplicas { get; set; } = 1;

    /// <summary>Prefix of every stream, bucket and key (letters, digits, <c>_</c>, <c>-</c>). Default <c>memfun</c>.</summary>
    public string Prefix { get; set; } = "memfun";

    /// <summary>Task queue settings.</summary>
    public TaskQueueOptions Tasks { get; set; } = TaskQueueOptions.Default;

    /// <summary>The address of the configured tier, for messages.</summary>
    public string Address => Tier switch
    {
        RuntimeTier.Redis => RedisUrl,
        RuntimeTier.Nats => NatsUrl,
        RuntimeTier.Sqlite => Path.GetFullPath(Path.Combine(Workspace, SqlitePath)),
        _ => "in-process",
    };

    /// <summary>Parses a tier name as written in config or on the command line.</summary>
    public static RuntimeTier ParseTier(string text) => text.Trim().ToLowerInvariant() switch
    {
        "in-process" or "inprocess" or "memory" => RuntimeTier.InProcess,
        "sqlite" => RuntimeTier.Sqlite,
        "redis" => RuntimeTier.Redis,
        "nats" => RuntimeTier.Nats,
        _ => throw new RuntimeUnavailableException(
            $"Unknown backend tier '{text}'. Use one of: in-process, sqlite, redis, nats ([backend] tier in ~/.memfun/config.toml, or --backend)."),
    };

    /// <summary>Reads the <c>[backend]</c> section over the defaults.</summary>
    public RuntimeOptions Bind(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        if (section["tier"] is { Length: > 0 } tier)
        {
            Tier = ParseTier(tier);
        }

        Prefix = section["prefix"] ?? Prefix;
        SqlitePath = section["sqlite:path"] ?? SqlitePath;
        RedisUrl = section["redis:url"] ?? RedisUrl;
        NatsUrl = section["nats:url"] ?? NatsUrl;
        var seeds = section.GetSection("nats:urls").GetChildren().Select(c => c.Value).Where(v => !string.IsNullOrWhiteSpace(v)).ToList();
        if (seeds.Count > 0)
        {
            NatsUrl = string.Join(",", seeds);
        }
        else if (section["nats:urls"] is { Length: > 0 } list)
        {
            NatsUrl = list;
        }

        if (section["nats:replicas"] is { } replicas)
        {
            NatsReplicas = (int)Number(replicas, "nats.replicas");
        }
        var tasks = Tasks;
        if (section["tasks:visibility_timeout_seconds"] is { } vt)
        {
            tasks = tasks with { VisibilityTimeout = TimeSpan.FromSeconds(Number(vt, "tasks.visibility_timeout_seconds")) };
        }

        if (section["tasks:max_attempts"] is { } ma)
        {
            tasks = tasks with { MaxAttempts = (int)Number(ma, "tasks.max_attempts") };
        }

        Tasks = tasks;
        return this;
    }

    /// <summary>Checks the values; the message names the key and the fix.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Prefix) || Prefix.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '_' and not '-'))
        {
            throw new RuntimeUnavailableException($"[backend] prefix '{Prefix}' is not valid: use letters, digits, '_' or '-'.");
        }

        if (NatsReplicas is < 1 or > 5)
        {
            throw new RuntimeUnavailableException($"[backend.nats] replicas must be 1 to 5 (3 for a three-server cluster), not {NatsReplicas}.");
        }

        if (Tasks.VisibilityTimeout <= TimeSpan.Zero || Tasks.MaxAttempts < 1)
        {
            throw new RuntimeUnavailableException("[backend.tasks] visibility_timeout_seconds must be positive and max_attempts at least 1.");
        }
    }

    private static double Number(string text, string key) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v
            : throw new RuntimeUnavailableException($"[backend.{key}] must be a positive number, not '{text}'.");
}
