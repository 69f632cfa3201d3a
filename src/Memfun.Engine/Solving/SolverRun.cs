using Memfun.Engine.Llm;

namespace Memfun.Engine.Solving;

/// <summary>The state of one solver request as it goes, and the result it ends with.</summary>
internal sealed class SolverRun(SolverRequest request, IProgress<SolverProgress>? progress, LlmRequestScope? scope, int totalSteps)
{
    public SolverRequest Request { get; } = request;

    public List<AppliedOperation> Operations { get; } = [];

    public List<LintResult> Lint { get; } = [];

    public List<string> Notes { get; } = [];

    /// <summary>Changed files: relative path → (text before the request, null if created; current text).</summary>
    public Dictionary<string, (string? Original, string Current)> Changed { get; } = new(StringComparer.Ordinal);

    public ReviewVerdict? Review { get; set; }

    public int FixCycles { get; set; }

    public bool Polished { get; set; }

    public bool Planned { get; set; }

    public string? Summary { get; set; }

    public void Step(int step, string message) => progress?.Report(new SolverProgress(step, totalSteps, message));

    public void Record(IReadOnlyList<FileChange> changes, IReadOnlyList<FileOperation> operations, string phase)
    {
        foreach (var op in operations.Where(o => o.Op != "run"))
        {
            Operations.Add(new AppliedOperation(op.Op, op.Path, null, null, null, phase));
        }

        foreach (var c in changes)
        {
            Changed[c.Path] = Changed.TryGetValue(c.Path, out var existing) ? (existing.Original, c.After) : (c.Before, c.After);
        }
    }

    public SolveResult Finish(SolveStatus status, string message, string? answer = null, string? escalation = null)
    {
        var usage = scope?.Usage ?? LlmUsage.Zero;
        return new SolveResult
        {
            Status = status,
            Message = message,
            Answer = answer ?? Summary,
            Operations = [.. Operations],
            ChangedFiles = [.. Changed.Keys.Order(StringComparer.Ordinal)],
            Lint = [.. Lint],
            Review = Review,
            FixCycles = FixCycles,
            Polished = Polished,
            Planned = Planned,
            LlmCalls = usage.Calls,
            PromptTokens = usage.PromptTokens,
            CompletionTokens = usage.CompletionTokens,
            Escalation = escalation,
            Notes = [.. Notes],
        };
    }
}
