using System.Text.Json;
using Microsoft.Extensions.AI;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Evals.Optimize;

/// <summary>
/// Scores one specialist's instruction: writes the given <c>AGENT.md</c> into the task workspace's
/// <c>.memfun/agents/NAME/</c> (which overrides every other definition of that name there), then asks the agent
/// through its <c>NAME_agent</c> tool of an in-process server on the workspace, as a host would.
/// </summary>
/// <remarks>
/// The server is an <see cref="EvalTaskServer"/> over the eval harness's own temp copy: trusted (so <c>.memfun/agents/</c>
/// is loaded and the quality pipeline's checks run), dashboard off, in-process runtime. <c>.memfun/</c> is not part of
/// the task's diff.
/// Thread-safe: every run has its own workspace and server.
/// </remarks>
internal sealed class SpecialistEvalAgent : IEvalAgent
{
    private static readonly Dictionary<string, string?> NoSettings = [];

    private readonly string _agentName;
    private readonly string _agentFile;

    /// <param name="agentName">The agent's name (its tool is <c>{agentName}_agent</c>).</param>
    /// <param name="agentFile">The whole <c>AGENT.md</c> text to run it with.</param>
    public SpecialistEvalAgent(string agentName, string agentFile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agentName);
        ArgumentException.ThrowIfNullOrWhiteSpace(agentFile);
        _agentName = agentName;
        _agentFile = agentFile;
    }

    /// <summary>A model to use instead of the configured provider, per task; null uses the configuration.</summary>
    public Func<EvalTask, IChatClient?>? Model { get; init; }

    /// <summary>How long the agent may work on one task (default 30 minutes).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);

    public async Task<EvalAgentOutcome> RunAsync(EvalTask task, string workspace, EvalUsage usage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(usage);
        var folder = Path.Combine(workspace, ".memfun", "agents", _agentName);
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "AGENT.md"), _agentFile, cancellationToken);

        var request = new Dictionary<string, object?> { ["task"] = LadderEvalAgent.RequestFor(task) };
        return await EvalTaskServer.AskAsync(workspace, NoSettings, Model?.Invoke(task), usage, Timeout,
            async (client, ct) => Read(await client.CallToolAsync(_agentName + "_agent", request, cancellationToken: ct)),
            cancellationToken);
    }

    /// <summary>The agent's report: its verdict as the status, its text as the summary; a tool error is the task's error.</summary>
    private EvalAgentOutcome Read(CallToolResult result)
    {
        var text = string.Join("\n", result.Content.OfType<TextContentBlock>().Select(b => b.Text));
        if (result.IsError == true)
        {
            return new EvalAgentOutcome(null, null, EvalWorkspace.Tail(text), EvalWorkspace.Tail(text, 4000), []);
        }

        var verdict = result.StructuredContent is { ValueKind: JsonValueKind.Object } report && report.TryGetProperty("verdict", out var v)
            ? v.GetString()
            : null;
        return new EvalAgentOutcome(_agentName, verdict, EvalWorkspace.Tail(text, 4000), null, []);
    }
}
