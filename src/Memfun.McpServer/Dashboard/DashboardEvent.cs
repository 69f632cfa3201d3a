namespace Memfun.McpServer.Dashboard;

/// <summary>
/// One thing the dashboard shows: a request starting or finishing, a workflow or task changing state, a log
/// line. Every string in it is untrusted (file names, model output): the page renders them as text only.
/// </summary>
internal sealed record DashboardEvent
{
    /// <summary><c>request.started</c>, <c>request.completed</c>, <c>request.failed</c>, <c>request.progress</c>, or a workflow event type.</summary>
    public required string Type { get; init; }

    public string? RequestId { get; init; }

    public string? Tool { get; init; }

    public string? Summary { get; init; }

    public long? Tokens { get; init; }

    public double? ElapsedMs { get; init; }

    public string? WorkflowId { get; init; }

    public string? TaskId { get; init; }

    public string? Agent { get; init; }

    public string? Detail { get; init; }

    /// <summary>For <c>request.completed</c>: what came of it when that is not plain success, such as <c>no change</c>.</summary>
    public string? Outcome { get; init; }

    /// <summary>The process that produced it: <c>host:pid</c>.</summary>
    public string? Source { get; init; }

    /// <summary>For <c>memory.updated</c>: the most recent memory entries, one line each (id, scope, text).</summary>
    public IReadOnlyList<string>? Entries { get; init; }

    public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;
}
