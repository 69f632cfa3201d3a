namespace Memfun.McpServer.Evals;

/// <summary>A suite run: its tasks' results and the totals.</summary>
internal sealed record EvalReport
{
    public required string Suite { get; init; }

    public required string SuitePath { get; init; }

    /// <summary><c>in-process</c> or <c>workers (BACKEND)</c>.</summary>
    public required string Mode { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset FinishedAt { get; init; }

    public required IReadOnlyList<EvalTaskResult> Tasks { get; init; }

    public EvalTotals Totals => EvalTotals.Of(Tasks, (FinishedAt - StartedAt).TotalSeconds);
}
