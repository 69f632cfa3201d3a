namespace Memfun.McpServer.Evals;

/// <summary>The outcome of one task: the report's row, and what a worker stores as an <c>eval_task</c> result.</summary>
/// <remarks>
/// <see cref="Resolved"/>: every FAIL_TO_PASS test passes and every PASS_TO_PASS test still passes after the agent's
/// change (with the test patch's files put back over it). <see cref="Errored"/>: the task could not be judged (workspace,
/// provider or agent failure); it is never resolved. Token counts are null when the provider did not report them.
/// </remarks>
internal sealed record EvalTaskResult
{
    public required string Id { get; init; }

    public required string Format { get; init; }

    public bool Resolved { get; init; }

    public bool Errored => Error is not null;

    public string? Error { get; init; }

    /// <summary>The rung that answered last: <c>solver</c>, <c>workflow</c> or <c>rlm</c>.</summary>
    public string? Rung { get; init; }

    /// <summary>The ladder's status (<c>completed</c>, <c>failed</c>, …).</summary>
    public string? AgentStatus { get; init; }

    public int LlmCalls { get; init; }

    public long? InputTokens { get; init; }

    public long? OutputTokens { get; init; }

    public double WallSeconds { get; init; }

    /// <summary>The agent's change as a git diff against the workspace's start (test patch applied).</summary>
    public string Diff { get; init; } = string.Empty;

    public IReadOnlyList<EvalTestOutcome> Tests { get; init; } = [];

    /// <summary>The ladder's notes and report text.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public string? Summary { get; init; }

    /// <summary>Who ran it: <c>in-process</c>, or the worker id.</summary>
    public string? RanOn { get; init; }
}
