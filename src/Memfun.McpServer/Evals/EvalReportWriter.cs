using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Memfun.McpServer.Evals;

/// <summary>Writes a report as <c>report.json</c> (everything) and <c>report.md</c> (a table, then each task's tests and diff).</summary>
internal static class EvalReportWriter
{
    private const int MaxDiffChars = 20_000;

    /// <summary>Writes both files into <paramref name="folder"/> (created); returns their paths.</summary>
    public static async Task<(string Json, string Markdown)> WriteAsync(EvalReport report, string folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(folder);
        var json = Path.Combine(folder, "report.json");
        var md = Path.Combine(folder, "report.md");
        await File.WriteAllTextAsync(json, ToJson(report), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(md, ToMarkdown(report), cancellationToken).ConfigureAwait(false);
        return (json, md);
    }

    public static string ToJson(EvalReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonSerializer.Serialize(report, EvalJson.Options);
    }

    public static string ToMarkdown(EvalReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var t = report.Totals;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"# memfun eval: {report.Suite}\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Suite `{report.SuitePath}`, {report.Mode}, {report.StartedAt:yyyy-MM-dd HH:mm:ss} UTC, {t.WallSeconds:0.0} s.\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"**{t.Resolved} of {t.Tasks} resolved** ({t.ResolvedRate:P0}); {t.Unresolved} not resolved, {t.Errored} errored. ");
        sb.Append("Resolved by rung: ").Append(t.ResolvedByRung.Count == 0 ? "none" : string.Join(", ", t.ResolvedByRung.Select(kv => $"{kv.Key} {kv.Value}"))).Append(". ");
        sb.Append(CultureInfo.InvariantCulture, $"{t.LlmCalls} LLM calls, {Count(t.InputTokens)} input / {Count(t.OutputTokens)} output tokens");
        sb.Append(t.TokensUnknown > 0 ? $" (not reported for {t.TokensUnknown} task(s))" : string.Empty).Append(".\n\n");
        sb.Append("| task | result | rung | LLM calls | tokens in / out | wall s | tests passed |\n|---|---|---|---:|---:|---:|---:|\n");
        foreach (var r in report.Tasks)
        {
            sb.Append(CultureInfo.InvariantCulture, $"| {Cell(r.Id)} | {(r.Errored ? "error" : r.Resolved ? "resolved" : "not resolved")} | {r.Rung ?? "-"} | {r.LlmCalls} | {Count(r.InputTokens)} / {Count(r.OutputTokens)} | {r.WallSeconds:0.0} | {r.Tests.Count(x => x.Passed)}/{r.Tests.Count} |\n");
        }

        foreach (var r in report.Tasks)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\n## {r.Id}\n\n");
            sb.Append(CultureInfo.InvariantCulture, $"{(r.Errored ? "**Error**" : r.Resolved ? "**Resolved**" : "**Not resolved**")}; format {r.Format}; rung {r.Rung ?? "-"} ({r.AgentStatus ?? "no status"}); ran on {r.RanOn ?? "-"}.\n");
            if (r.Error is { } error)
            {
                sb.Append("\n```text\n").Append(error.Trim()).Append("\n```\n");
            }

            foreach (var note in r.Notes)
            {
                sb.Append("\n- ").Append(note);
            }

            if (r.Tests.Count > 0)
            {
                sb.Append("\n\n| test | set | outcome |\n|---|---|---|\n");
                foreach (var test in r.Tests)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"| {Cell(test.Id)} | {test.Set} | {(test.Passed ? "pass" : test.TimedOut ? "timed out" : $"FAIL (exit {test.ExitCode})")} |\n");
                }

                foreach (var failed in r.Tests.Where(x => !x.Passed && !string.IsNullOrWhiteSpace(x.Output)).DistinctBy(x => x.Output))
                {
                    sb.Append(CultureInfo.InvariantCulture, $"\n{failed.Id}:\n\n```text\n{failed.Output!.Trim()}\n```\n");
                }
            }

            sb.Append("\n\nDiff:\n\n");
            sb.Append(r.Diff.Length == 0 ? "(no change)\n" : "```diff\n" + (r.Diff.Length > MaxDiffChars ? r.Diff[..MaxDiffChars] + "\n… (cut; the whole diff is in report.json)" : r.Diff.TrimEnd()) + "\n```\n");
        }

        return sb.ToString();
    }

    private static string Count(long? n) => n?.ToString(CultureInfo.InvariantCulture) ?? "unknown";

    private static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal);
}
