namespace Memfun.Engine.Rlm.Traces;

/// <summary>One recorded REPL step: the code, how it ended, a summary of its output, its cost.</summary>
public sealed class RlmTraceStep
{
    public int Index { get; init; }

    public DateTimeOffset At { get; init; }

    public string Code { get; init; } = "";

    public string Outcome { get; init; } = "";

    /// <summary>The start and end of the output (at most about 600 characters).</summary>
    public string OutputSummary { get; init; } = "";

    public long OutputChars { get; init; }

    public string? Error { get; init; }

    public string? Notice { get; init; }

    public double DurationMs { get; init; }

    /// <summary>Tokens of this step: the model's turn (rlm_run) plus its sub-model calls.</summary>
    public long Tokens { get; init; }

    public IReadOnlyList<string> Calls { get; init; } = [];
}
