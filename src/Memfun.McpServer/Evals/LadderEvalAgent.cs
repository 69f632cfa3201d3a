using System.Text.Json;
using Microsoft.Extensions.AI;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Evals;

/// <summary>
/// The real agent: the whole memfun server composed in this process over the task's workspace, asked through its
/// <c>orchestrate</c> tool (the escalation ladder: solver, then workflow; the RLM loop first for exploration), as a
/// host would ask it. Model calls are counted through the server's chat client factory.
/// </summary>
/// <remarks>
/// The task server is an <see cref="EvalTaskServer"/> (trusted temp copy, no dashboard, in-process runtime).
/// <see cref="Model"/>, when set, replaces the configured provider (scripted runs, <c>memfun optimize</c>).
/// </remarks>
internal sealed class LadderEvalAgent : IEvalAgent
{
    /// <summary>A model to use instead of the configured provider, per task; null uses the configuration.</summary>
    public Func<EvalTask, IChatClient?>? Model { get; init; }

    /// <summary>More settings for the task servers (e.g. <c>solver:max_fix_cycles</c>), over the workspace's.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>How long the agent may work on one task (default 30 minutes).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>The request the agent gets for a task.</summary>
    public static string RequestFor(EvalTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.Format == EvalTaskFormat.Terminal
            ? task.ProblemStatement
            : "Fix the following issue in this repository (the workspace root). Change the code so the issue is resolved; do not weaken the tests.\n\n" + task.ProblemStatement;
    }

    public Task<EvalAgentOutcome> RunAsync(EvalTask task, string workspace, EvalUsage usage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(usage);
        return EvalTaskServer.AskAsync(workspace, Settings, Model?.Invoke(task), usage, Timeout, async (client, ct) =>
        {
            await client.ListToolsAsync(cancellationToken: ct);
            return Read(await client.CallToolAsync("orchestrate", new Dictionary<string, object?> { ["task"] = RequestFor(task) }, cancellationToken: ct));
        }, cancellationToken);
    }

    /// <summary>The ladder's report; a tool error without a report (provider failure, unreadable answer) is the task's error.</summary>
    private static EvalAgentOutcome Read(CallToolResult result)
    {
        var text = string.Join("\n", result.Content.OfType<TextContentBlock>().Select(b => b.Text));
        if (result.StructuredContent is not { } report || report.ValueKind != JsonValueKind.Object || !report.TryGetProperty("tier", out var tier))
        {
            return new EvalAgentOutcome(null, null, EvalWorkspace.Tail(text), result.IsError == true ? EvalWorkspace.Tail(text, 4000) : null, []);
        }

        var notes = report.TryGetProperty("notes", out var n) && n.ValueKind == JsonValueKind.Array
            ? n.EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToList()
            : [];
        var status = report.TryGetProperty("status", out var s) ? s.GetString() : null;
        return new EvalAgentOutcome(tier.GetString(), status, EvalWorkspace.Tail(text, 4000), null, notes);
    }
}
