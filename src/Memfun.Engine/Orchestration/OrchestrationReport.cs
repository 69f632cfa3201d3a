namespace Memfun.Engine.Orchestration;

/// <summary>The structured result of <c>orchestrate</c>: the tier that answered, and every task of the workflow.</summary>
internal sealed record OrchestrationReport(
    string Tier,
    string Status,
    string? WorkflowId,
    IReadOnlyList<OrchestrationTaskReport> Tasks,
    IReadOnlyList<string> Applied,
    IReadOnlyList<string> Conflicts,
    int RevisionRounds,
    string Summary)
{
    /// <summary>How the ladder got here: earlier rungs that did not finish.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Tokens spent by every task of the workflow (what the dashboard shows for the request).</summary>
    public long TotalTokens => Tasks.Sum(t => t.Tokens);

    /// <summary>A report for a rung that answered on its own (the solver or the RLM loop).</summary>
    public static OrchestrationReport Single(string tier, string status, string summary) => new(tier, status, null, [], [], [], 0, summary);

    public static OrchestrationReport From(WorkflowResult r) => new(
        "workflow",
        r.Status,
        r.WorkflowId,
        [.. r.Outcomes.Select(o => new OrchestrationTaskReport(
            o.Task.Id, o.Task.Agent, o.Task.Description, o.Succeeded ? "completed" : "failed",
            o.Result?.Iterations ?? 0, o.Result?.TotalTokens ?? 0, [.. o.Staged.Select(s => $"{s.Tool} {s.Path}")], o.Round, o.Error ?? o.Result?.Answer ?? string.Empty))],
        [.. r.Applied.Select(a => $"{a.Tool} {a.Path} (task {a.TaskId})")],
        r.Conflicts,
        r.RevisionRounds,
        r.ReviewSummary);

    public string ToText() =>
        (Notes.Count > 0 ? string.Join("\n", Notes) + "\n" : string.Empty) +
        (WorkflowId is null && Tasks.Count == 0 ? $"orchestrate: {Status} via the {Tier}.\n{Summary}" : WorkflowText());

    private string WorkflowText() =>
        $"orchestrate: {Status} via the {Tier}{(WorkflowId is null ? string.Empty : " " + WorkflowId)}; {Tasks.Count} task(s), {RevisionRounds} revision round(s).\n" +
        string.Join("\n", Tasks.Select(t => $"- {t.Id} [{t.Agent}] {t.State}: {Memfun.Tools.Plural.Of(t.Iterations, "iteration")}, {Memfun.Tools.Plural.Of(t.Tokens, "token")}, operations: {(t.Operations.Count == 0 ? "none" : string.Join(", ", t.Operations))}")) +
        (Applied.Count > 0 ? "\nApplied:\n" + string.Join("\n", Applied.Select(a => "- " + a)) : "\nApplied: nothing") +
        (Conflicts.Count > 0 ? "\nConflicts (not applied):\n" + string.Join("\n", Conflicts.Select(c => "- " + c)) : string.Empty) +
        (Summary.Length > 0 ? "\nReview: " + Summary : string.Empty);
}

/// <summary>One task in an orchestration report.</summary>
internal sealed record OrchestrationTaskReport(string Id, string Agent, string Description, string State, int Iterations, long Tokens, IReadOnlyList<string> Operations, int Round, string Output);
