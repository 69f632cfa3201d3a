namespace Memfun.Engine.Rlm.Traces;

/// <summary>The record of one REPL session or one rlm_run: every step, and how it ended.</summary>
/// <remarks>Thread-safe: steps are appended under a lock and read as a copy.</remarks>
public sealed class RlmTrace
{
    private readonly Lock _gate = new();
    private readonly List<RlmTraceStep> _steps = [];

    public RlmTrace(string id, string kind, string? task)
    {
        Id = id;
        Kind = kind;
        Task = task;
    }

    public string Id { get; }

    /// <summary>"repl" (repl_start) or "rlm_run".</summary>
    public string Kind { get; }

    public string? Task { get; }

    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

    public string? Sandbox { get; set; }

    /// <summary>The client that started the session or run (an opaque key); null for the server's own runs.</summary>
    public string? Owner { get; init; }

    public string? Finish { get; set; }

    public string? Answer { get; set; }

    public long Tokens { get; set; }

    /// <summary>The resource address of this trace.</summary>
    public string Uri => $"memfun://rlm/traces/{Id}";

    public IReadOnlyList<RlmTraceStep> Steps
    {
        get { lock (_gate) { return [.. _steps]; } }
    }

    public int StepCount
    {
        get { lock (_gate) { return _steps.Count; } }
    }

    public void Add(RlmTraceStep step)
    {
        lock (_gate)
        {
            _steps.Add(step);
            if (_steps.Count > 2000)
            {
                _steps.RemoveAt(0);
            }
        }
    }
}
