using Memfun.Engine.Agents;

namespace Memfun.McpServer.Agents;

/// <summary>The structured result of a specialist agent tool.</summary>
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
    public static AgentRunReport From(SpecialistResult r) => new(
        r.Agent, r.Verdict, r.StopReason, r.Iterations, r.InputTokens, r.OutputTokens, r.TotalTokens, r.Operations, r.ToolCalls, r.Warnings, r.Answer);

    public string ToText() =>
        $"{Agent} agent: {Verdict} ({StopReason}) after {Iterations} iteration(s), {TotalTokens} tokens, {Operations.Count} operation(s)" +
        (Operations.Count > 0 ? ":\n" + string.Join("\n", Operations.Select(o => $"- {o.Tool} {o.Target}{(o.Succeeded ? string.Empty : " (failed)")}")) : ".") +
        (Warnings.Count > 0 ? "\nWarnings:\n" + string.Join("\n", Warnings.Select(w => "- " + w)) : string.Empty) +
        "\n\n" + Answer;
}
