namespace Memfun.McpServer.Evals;

/// <summary>The totals of a run. A token total is null when no task's provider reported it; <see cref="TokensUnknown"/> counts tasks with a gap.</summary>
internal sealed record EvalTotals(
    int Tasks,
    int Resolved,
    int Unresolved,
    int Errored,
    double ResolvedRate,
    IReadOnlyDictionary<string, int> ResolvedByRung,
    int LlmCalls,
    long? InputTokens,
    long? OutputTokens,
    int TokensUnknown,
    double TaskSeconds,
    double WallSeconds)
{
    public static EvalTotals Of(IReadOnlyList<EvalTaskResult> tasks, double wallSeconds)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var resolved = tasks.Count(t => t.Resolved);
        var errored = tasks.Count(t => t.Errored);
        var input = tasks.Where(t => t.InputTokens is not null).ToList();
        var output = tasks.Where(t => t.OutputTokens is not null).ToList();
        return new EvalTotals(
            tasks.Count,
            resolved,
            tasks.Count - resolved - errored,
            errored,
            tasks.Count == 0 ? 0 : Math.Round((double)resolved / tasks.Count, 4),
            tasks.Where(t => t.Resolved).GroupBy(t => t.Rung ?? "none").OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            tasks.Sum(t => t.LlmCalls),
            input.Count == 0 && tasks.Count > 0 ? null : input.Sum(t => t.InputTokens!.Value),
            output.Count == 0 && tasks.Count > 0 ? null : output.Sum(t => t.OutputTokens!.Value),
            tasks.Count(t => t.InputTokens is null || t.OutputTokens is null),
            Math.Round(tasks.Sum(t => t.WallSeconds), 2),
            Math.Round(wallSeconds, 2));
    }
}
