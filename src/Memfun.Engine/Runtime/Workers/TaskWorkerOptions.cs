namespace Memfun.Engine.Runtime.Workers;

/// <summary>How a <see cref="TaskWorker"/> runs.</summary>
public sealed record TaskWorkerOptions
{
    /// <summary>The worker's id in the registry and in events. Default: <c>worker-{host}-{pid}</c>.</summary>
    public string Id { get; init; } = $"worker-{SafeHost()}-{Environment.ProcessId}";

    /// <summary>Tasks run at once. Default 4; 1–256.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>How often the worker heartbeats. Default 5 s.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long it stays in the registry without a heartbeat. Default 15 s.</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Extra registry metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    private static string SafeHost() =>
        string.Concat(Environment.MachineName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-'));
}
