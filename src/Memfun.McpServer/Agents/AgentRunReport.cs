using Memfun.Engine.Agents;
using Memfun.Engine.Solving;

namespace Memfun.McpServer.Agents;

/// <summary>The structured result of a specialist agent tool.</summary>
/// <remarks>
/// <see cref="Verdict"/> is the agent's (<c>ok</c>, <c>no change</c>, <c>incomplete</c>) unless the quality pipeline ran after a
/// code-producing agent: then it is the pipeline's (<c>ok</c>, <c>needs_changes</c>, <c>verification_failed</c>) when the
/// agent finished, and the tokens include the pipeline's model calls.
/// </remarks>
internal sealed record AgentRunReport(
    string Agent,
    string Verdict,
    string StopReason,
    int Iterations,
    long InputTokens,
    long OutputTokens,
    long TotalTokens,
    IReadOnlyList<AgentOperation> Operations,
    IReadOnlyList<AgentToolCall> ToolCalls,
    IReadOnlyList<string> Warnings,
    string Answer)
{
    /// <summary>The quality pipeline's result (checks, fix cycles, review, polish), or null when it did not run.</summary>
    public QualityResult? Quality { get; init; }

    public static AgentRunReport From(SpecialistResult r) => new(
        r.Agent, r.Verdict, r.StopReason, r.Iterations, r.InputTokens, r.OutputTokens, r.TotalTokens, r.Operations, r.ToolCalls, r.Warnings, r.Answer);

    public static AgentRunReport From(SpecialistResult r, QualityResult quality)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(quality);
        var input = r.InputTokens + quality.InputTokens;
        var output = r.OutputTokens + quality.OutputTokens;
        // An edit that left every file as it was changed nothing.
        var verdict = r.Verdict != "ok" ? r.Verdict : quality.Verdict == "unchanged" ? SpecialistResult.NoChange : quality.Verdict;
        return new AgentRunReport(r.Agent, verdict, r.StopReason, r.Iterations, input, output, input + output, r.Operations, r.ToolCalls, r.Warnings, r.Answer)
        {
            Quality = quality,
        };
    }

    public string ToText() =>
        $"{Agent} agent: {Verdict} ({StopReason}) after {Memfun.Tools.Plural.Of(Iterations, "iteration")}, {Memfun.Tools.Plural.Of(TotalTokens, "token")}, {Memfun.Tools.Plural.Of(Operations.Count, "operation")}" +
        (Operations.Count > 0 ? ":\n" + string.Join("\n", Operations.Select(o => $"- {o.Tool} {o.Target}{(o.Succeeded ? string.Empty : " (failed)")}")) : ".") +
        (Warnings.Count > 0 ? "\nWarnings:\n" + string.Join("\n", Warnings.Select(w => "- " + w)) : string.Empty) +
        (Quality is { } q ? $"\nQuality: {q.Verdict}: {q.Message}" + (q.FixCycles > 0 ? $" {q.FixCycles} fix cycle(s)." : string.Empty) +
            string.Concat(q.Lint.Select(l => $"\n- {l.Tool} [{l.Phase}]: {(l.Passed ? "pass" : $"FAIL (exit {l.ExitCode})")}")) +
            (q.Review is { Problems.Count: > 0 } rv ? "\nReview findings:\n" + string.Join("\n", rv.Problems.Select(p => "- " + p)) : string.Empty) +
            string.Concat(q.Notes.Select(n => "\nNote: " + n)) : string.Empty) +
        "\n\n" + Answer;
}
