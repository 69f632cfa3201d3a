namespace Memfun.Engine.Repl;

/// <summary>What one REPL step did.</summary>
public sealed class ReplStepResult
{
    /// <summary>How the step ended.</summary>
    public ReplStepOutcome Outcome { get; init; }

    /// <summary>What the code printed (and the value of a final expression), head and tail kept.</summary>
    public string Output { get; init; } = "";

    /// <summary>Characters of output cut from the middle.</summary>
    public long OutputCut { get; init; }

    /// <summary>The compile error, exception or kill reason; null when the step succeeded.</summary>
    public string? Error { get; init; }

    /// <summary>The answer given with FINAL or FINAL_VAR during this step, if any.</summary>
    public string? Final { get; init; }

    /// <summary>What happened to the session before or after this step (restart, recycle, what could not be restored).</summary>
    public string? Notice { get; init; }

    /// <summary>Wall time of the step.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Of <see cref="Duration"/>: the host's compile and run of the submission (zero when the process was killed).</summary>
    internal TimeSpan ScriptDuration { get; init; }

    /// <summary>Of <see cref="Duration"/>: all the host's work on the step; the rest is the protocol and the parent.</summary>
    internal TimeSpan HostDuration { get; init; }

    /// <summary>Tool and sub-model calls the step made, as "tool path-or-summary".</summary>
    public IReadOnlyList<string> Calls { get; init; } = [];

    /// <summary>Tokens the step's sub-model calls used.</summary>
    public long LlmTokens { get; init; }
}
