using System.Text.Json;
using Memfun.Engine.Llm;
using Memfun.McpServer.Cli;
using Memfun.McpServer.Configuration;
using Memfun.McpServer.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Evals;

/// <summary>
/// The real agent: the whole memfun server composed in this process over the task's workspace, asked through its
/// <c>orchestrate</c> tool (the escalation ladder: solver, then workflow; the RLM loop first for exploration), as a
/// host would ask it. Model calls are counted through the server's chat client factory.
/// </summary>
/// <remarks>
/// The task's workspace is the harness's own temp copy, so it is trusted (the solver's checks run); the dashboard is off
/// and the runtime is in-process, so a task touches nothing outside its copy but the model. <see cref="Model"/>, when set,
/// replaces the configured provider (scripted runs, <c>memfun optimize</c>).
/// </remarks>
internal sealed class LadderEvalAgent : IEvalAgent
{
    /// <summary>The configuration every task server gets on top of the workspace's own.</summary>
    private static readonly Dictionary<string, string?> TaskSettings = new()
    {
        [WorkspaceTrust.Key] = "true",
        ["dashboard:enabled"] = "false",
        ["backend:tier"] = "in-process",
    };

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

    public async Task<EvalAgentOutcome> RunAsync(EvalTask task, string workspace, EvalUsage usage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(usage);
        var configuration = new ConfigurationBuilder()
            .AddConfiguration(MemfunConfiguration.Build(workspace))
            .AddInMemoryCollection(Settings)
            .AddInMemoryCollection(TaskSettings)
            .Build();
        var model = Model?.Invoke(task);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        try
        {
            await using var server = await InProcessServer.StartAsync(
                new ServerSettings { Workspace = workspace, Configuration = configuration },
                services => CountingChatClientFactory.Replace(services, model, usage),
                limit.Token);
            await server.Client.ListToolsAsync(cancellationToken: limit.Token);
            var result = await server.Client.CallToolAsync(
                "orchestrate", new Dictionary<string, object?> { ["task"] = RequestFor(task) }, cancellationToken: limit.Token);
            return Read(result);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new EvalAgentOutcome(null, null, string.Empty, $"The agent did not finish within {Timeout.TotalSeconds:0} s.", []);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new EvalAgentOutcome(null, null, string.Empty, $"{ex.GetType().Name}: {ex.Message}", []);
        }
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
