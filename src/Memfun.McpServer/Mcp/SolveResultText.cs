using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Memfun.Engine.Solving;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Mcp;

/// <summary>Shapes a <see cref="SolveResult"/> for people (text) and programs (JSON, structured content).</summary>
internal static class SolveResultText
{
    /// <summary>The readable report: status line, answer, operations, checks, review, usage, escalation.</summary>
    public static string Render(SolveResult r)
    {
        var sb = new StringBuilder();
        sb.Append('[').Append(r.Status).Append("] ").Append(r.Message).Append('\n');
        if (!string.IsNullOrWhiteSpace(r.Answer))
        {
            sb.Append('\n').Append(r.Answer.Trim()).Append('\n');
        }

        if (r.Operations.Count > 0)
        {
            sb.Append("\nOperations:\n");
            foreach (var op in r.Operations)
            {
                sb.Append("- ").Append(op.Op).Append(' ').Append(op.Path ?? op.Command);
                if (op.ExitCode is { } code)
                {
                    sb.Append(" (exit ").Append(code).Append(')');
                }

                sb.Append(" [").Append(op.Phase).Append("]\n");
            }
        }

        if (r.Lint.Count > 0)
        {
            sb.Append("\nChecks:\n");
            foreach (var l in r.Lint)
            {
                sb.Append("- ").Append(l.Tool).Append(" [").Append(l.Phase).Append("]: ").Append(l.Passed ? "pass" : $"FAIL (exit {l.ExitCode})").Append('\n');
            }

            if (r.Lint.LastOrDefault(l => !l.Passed && l.Phase != "baseline") is { } failed && r.Status == SolveStatus.VerificationFailed)
            {
                sb.Append("\nLast failure (").Append(failed.Tool).Append("):\n").Append(failed.Output.Length > 3000 ? "…" + failed.Output[^3000..] : failed.Output).Append('\n');
            }
        }

        if (r.Review is { } review)
        {
            sb.Append("\nReview: ").Append(review.Verdict);
            foreach (var p in review.Problems)
            {
                sb.Append("\n- ").Append(p);
            }

            sb.Append('\n');
        }

        foreach (var note in r.Notes)
        {
            sb.Append("\nNote: ").Append(note);
        }

        sb.Append($"\nModel: {r.LlmCalls} call(s), {r.PromptTokens} prompt + {r.CompletionTokens} completion = {r.TotalTokens} tokens");
        if (r.FixCycles > 0)
        {
            sb.Append($"; {r.FixCycles} fix cycle(s)");
        }

        if (r.Escalation is { } next)
        {
            sb.Append($"\nEscalate to: {next}");
        }

        if (r.Escalated is { } done)
        {
            sb.Append($"\nEscalated to the {done.Tier}{(done.WorkflowId is null ? string.Empty : " " + done.WorkflowId)}: {done.Status}\n").Append(done.Summary);
        }

        return sb.Append('\n').ToString();
    }

    /// <summary>The result as JSON (camelCase, enums as strings), as in the tool's structured content.</summary>
    public static JsonNode ToJson(SolveResult r) => JsonSerializer.SerializeToNode(r, McpJsonUtilities.DefaultOptions)!;

    /// <summary>True for outcomes where nothing the caller asked for was done.</summary>
    /// <remarks>When the request escalated, the outcome of the tier that took it over decides.</remarks>
    public static bool IsFailure(SolveResult r) => r.Escalated is { } escalated
        ? escalated.Status == "failed"
        : r.Status is SolveStatus.Rejected or SolveStatus.Truncated or SolveStatus.BudgetExceeded or SolveStatus.ProviderFailed;

    /// <summary>The MCP tool result: readable text plus the structured result.</summary>
    public static CallToolResult ToToolResult(SolveResult r) => ToolResults.Structured(Render(r), r, IsFailure(r));
}
