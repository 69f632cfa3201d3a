using Microsoft.Extensions.Configuration;

namespace Memfun.Engine.Repl;

/// <summary>Limits and launch settings of REPL sessions.</summary>
public sealed class ReplOptions
{
    /// <summary>Longest a step may run, not counting time spent waiting on tools or sub-model calls in the parent. Default 30 s.</summary>
    [ConfigurationKeyName("step_time_limit")]
    public TimeSpan StepTimeLimit { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Resident memory of a REPL process above which a running step is killed. Default 2 GiB. The managed
    /// heap is capped at three quarters of it, and a process past half of it is replaced after its step.
    /// </summary>
    [ConfigurationKeyName("memory_limit_bytes")]
    public long MemoryLimitBytes { get; set; } = 2L << 30;

    /// <summary>Characters of a step's output kept (head and tail); the rest is counted. Default 20,000.</summary>
    [ConfigurationKeyName("output_limit_chars")]
    public int OutputLimitChars { get; set; } = 20_000;

    /// <summary>
    /// Steps after which a process is replaced by a fresh one with the state carried over. Default 100:
    /// every step leaves a compiled assembly behind (about 4 MiB of resident memory each, measured).
    /// </summary>
    [ConfigurationKeyName("recycle_after_steps")]
    public int RecycleAfterSteps { get; set; } = 100;

    /// <summary>Managed heap above which a process is replaced after a step. Default 384 MiB.</summary>
    [ConfigurationKeyName("recycle_above_heap_bytes")]
    public long RecycleAboveHeapBytes { get; set; } = 384L << 20;

    /// <summary>How many sub-model calls of one <c>llm_query_batched</c> run at once. Default 4.</summary>
    [ConfigurationKeyName("llm_concurrency")]
    public int LlmConcurrency { get; set; } = 4;

    /// <summary>OS-level confinement of the REPL process. Default <see cref="ReplSandboxMode.Auto"/>.</summary>
    [ConfigurationKeyName("sandbox")]
    public ReplSandboxMode Sandbox { get; set; } = ReplSandboxMode.Auto;

    /// <summary>Idle time after which a session started with repl_start is stopped. Default 30 minutes.</summary>
    [ConfigurationKeyName("idle_timeout")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Longest protocol message (one line) a REPL host may send, in bytes. Default 96 MiB: room for a state snapshot
    /// (at most 64 MiB) when a process is replaced. A host that writes more is killed with an error that says so.
    /// </summary>
    [ConfigurationKeyName("max_message_bytes")]
    public long MaxMessageBytes { get; set; } = 96L << 20;

    /// <summary>REPL sessions started with repl_start that may run at once, across all clients. Default 8; more are refused until one stops.</summary>
    [ConfigurationKeyName("max_sessions")]
    public int MaxSessions { get; set; } = 8;

    /// <summary>
    /// The command that starts a REPL host, e.g. <c>["/usr/bin/dotnet", "/opt/memfun/memfun.dll", "repl-host"]</c>.
    /// Default: the running memfun (entry assembly, or memfun.dll beside the application) with <c>repl-host</c>.
    /// </summary>
    public IList<string> HostCommand { get; } = new List<string>();
}
