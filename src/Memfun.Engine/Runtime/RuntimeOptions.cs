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
/// url = "nats://127.0.0.1:4222"
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

    /// <summary>NATS address. Default <c>nats://127.0.0.1:4222</c>.</summary>
    public string NatsUrl { get; set; } = "nats://127.0.0.1:4222";

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
