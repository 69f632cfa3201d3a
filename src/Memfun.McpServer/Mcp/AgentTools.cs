using System.ComponentModel;
using System.Text.Json;
using Memfun.Engine.Agents;
using Memfun.Engine.Orchestration;
using Memfun.McpServer.Agents;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Mcp;

/// <summary>The agent tools: the catalog, the orchestrator and workflow status. Specialists are added per AGENT.md.</summary>
[McpServerToolType]
[Toolset(Hosting.Toolsets.Agents)]
internal sealed class AgentTools(AgentService agents)
{
    [McpServerTool(Name = "list_agents", Title = "List agents", ReadOnly = true, Idempotent = true, UseStructuredContent = true)]
    [Description("Lists the specialist agents (built-in and the workspace's AGENT.md files): tool name, description, step cap, " +
        "tools, delegates, whether it changes code and which definition it overrides; and invalid AGENT.md files with the reason.")]
    public AgentList ListAgents()
    {
        var catalog = agents.Catalog;
        catalog.Reload();
        return new AgentList(
            [.. catalog.Agents.Select(a => new AgentSummary(a.Name, a.ToolName, a.Description, a.MaxIterations, a.Tools, a.Delegates, a.CodeProducing, a.SourcePath, a.Overrides))],
            [.. catalog.Problems.Select(p => p.Message)]);
    }

    [McpServerTool(Name = "orchestrate", Title = "Orchestrate agents", Destructive = true, Idempotent = false, OpenWorld = true, UseStructuredContent = true, OutputSchemaType = typeof(OrchestrationReport))]
    [Description("Runs a coding request up the escalation ladder: the solver first; if it cannot finish, specialist agents: a " +
        "DAG of agent tasks (independent ones in parallel), checked for conflicts by the review agent (up to 2 " +
        "revision rounds), every change applied once, in order. Returns each task (agent, iterations, tokens, " +
        "operations), the changes and any conflict. For multi-step work; coder_agent is faster for a small change. " +
        "Needs a model.")]
    public async Task<CallToolResult> Orchestrate(
        [Description("Self-contained: what to build or change and how to know it is done.")] string task,
        RequestContext<CallToolRequestParams> request,
        IProgress<ProgressNotificationValue> progress,
        [Description("Optional cap on agent recursion; only lowers the server's max_depth.")] int? max_depth = null,
        [Description("'auto' (default: solver, then workflow; the RLM loop first for find/count questions), 'solver', 'workflow' or " +
            "'rlm'.")] string? tier = null,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(task))
        {
            throw new McpException("'task' is empty: describe the work to orchestrate.");
        }

        var rung = string.IsNullOrWhiteSpace(tier) ? "auto" : tier.Trim().ToLowerInvariant();
        if (!OrchestrationTier.Names.Contains(rung))
        {
            throw new McpException($"Unknown tier '{tier}'. Use one of: {string.Join(", ", OrchestrationTier.Names)}.");
        }

        if (max_depth is { } requested
            && CallDepth.Refusal("orchestrate", CallDepth.FromMeta(request.Params?.Meta), CallDepth.Cap(agents.MaxDepth, requested), "the max_depth argument") is { } refusal)
        {
            throw new McpException(refusal);
        }

        var report = await agents.OrchestrateAsync(task, rung, request, progress, cancellationToken);
        return ToolResults.Structured(report.ToText(), report, report.Status == "failed");
    }

    /// <summary>Whether this server, or its backend's workflow store, knows the workflow <paramref name="id"/>.</summary>
    public async Task<bool> HasWorkflowAsync(string id, CancellationToken cancellationToken = default) =>
        agents.Workflows.Find(id) is not null || (agents.Store is { } store && await store.GetAsync(id, cancellationToken) is not null);

    [McpServerTool(Name = "workflow_status", Title = "Workflow status", ReadOnly = true, Idempotent = true, UseStructuredContent = true)]
    [Description("A workflow's state, its tasks (agent, dependencies, state) and events. No id: the recent workflows.")]
    public async Task<WorkflowStatusReport> WorkflowStatus(
        [Description("The workflow id (wf-…).")] string? id = null,
        CancellationToken cancellationToken = default)
    {
        var stored = agents.Store;
        if (string.IsNullOrEmpty(id))
        {
            var lines = new Dictionary<string, (DateTimeOffset Started, string Line)>(StringComparer.Ordinal);
            foreach (var w in agents.Workflows.All)
            {
                lines[w.Id] = (w.Started, $"{w.Id} {w.State} {w.Request}");
            }

            foreach (var r in stored is null ? [] : await stored.ListAsync(cancellationToken))
            {
                lines[r.Id] = (r.Started, $"{r.Id} {await agents.EffectiveStateAsync(r, cancellationToken)} {r.Request}");
            }

            return new WorkflowStatusReport(null, null, null, [], [], [.. lines.Values.OrderByDescending(l => l.Started).Select(l => l.Line)]);
        }

        var live = agents.Workflows.Find(id);
        var record = stored is null ? null : (await stored.GetAsync(id, cancellationToken))?.Record;
        if (live is null && record is null)
        {
            throw new McpException($"There is no workflow '{id}' in this server or its backend. Call workflow_status without an id to list them.");
        }

        var (state, tasks, events) = live?.Snapshot() ?? ("planning", new Dictionary<string, string>(), []);
        var plan = live?.Plan ?? record?.Plan;
        IReadOnlyDictionary<string, WorkflowTaskOutcome> outcomes = record is null ? new Dictionary<string, WorkflowTaskOutcome>() : await stored!.OutcomesAsync(id, cancellationToken);
        string? hint = null;
        if (record is not null)
        {
            state = await agents.EffectiveStateAsync(record, cancellationToken);
            hint = state == "interrupted"
                ? $"Its coordinator stopped while it was {record.State}: workflow_control resume finishes it (finished tasks are not run again, changes are applied once), cancel drops it."
                : record.Detail;
        }

        var rows = plan?.Tasks.Select(t => new WorkflowTaskState(t.Id, t.Agent, t.Description, t.Dependencies, TaskState(t.Id))).ToList() ?? [];
        // The hint (what to do with an interrupted workflow, how a cancelled one ended) closes the event lines.
        return new WorkflowStatusReport(
            id, state, live?.Request ?? record!.Request, rows,
            [.. events.Select(e => $"{e.At:HH:mm:ss.fff} {e.Type} {e.TaskId} {e.Agent} {e.Detail}".TrimEnd()), .. hint is null ? Array.Empty<string>() : [$"({state}) {hint}"]],
            []);

        // A task this process saw move shows that; otherwise its stored outcome says whether it finished.
        string TaskState(string taskId) =>
            tasks.GetValueOrDefault(taskId, "pending") is var seen && seen != "pending" ? seen
            : outcomes.TryGetValue(taskId, out var o) ? (o.Error is null ? "completed" : "failed") : "pending";
    }

    [McpServerTool(Name = "workflow_control", Destructive = true)]
    [Description("Resumes an interrupted workflow (finished tasks not rerun, each change applied once) or cancels one.")]
    public async Task<CallToolResult> WorkflowControl(
        [Description("Workflow id.")] string id,
        [Description("'resume' or 'cancel'.")] string action,
        RequestContext<CallToolRequestParams> request,
        IProgress<ProgressNotificationValue> progress,
        CancellationToken cancellationToken = default)
    {
        switch (action?.Trim().ToLowerInvariant())
        {
            case "resume":
                var report = OrchestrationReport.From(await agents.ResumeWorkflowAsync(RequiredId(id), request, progress, cancellationToken));
                return ToolResults.Structured(report.ToText(), report, report.Status == "failed");
            case "cancel":
                var record = await agents.CancelWorkflowAsync(RequiredId(id), cancellationToken);
                return new CallToolResult
                {
                    Content = [new TextContentBlock { Text = $"Workflow {record.Id} is cancelled ({record.Detail}): nothing more of it runs and none of its changes are applied." }],
                };
            default:
                throw new McpException($"Unknown action '{action}'. Use 'resume' (finish an interrupted workflow) or 'cancel'.");
        }
    }

    private static string RequiredId(string id) =>
        string.IsNullOrWhiteSpace(id) ? throw new McpException("'id' is empty: pass a workflow id (wf-…) from workflow_status.") : id.Trim();
}

/// <summary>The agent catalog.</summary>
internal sealed record AgentList(IReadOnlyList<AgentSummary> Agents, IReadOnlyList<string> Problems);

/// <summary>One agent; <paramref name="Overrides"/> is the file of the definition it replaces by name (a built-in, say), or null.</summary>
internal sealed record AgentSummary(string Name, string Tool, string Description, int MaxIterations, IReadOnlyList<string> Tools, IReadOnlyList<string> Delegates, bool CodeProducing, string Source, string? Overrides);

/// <summary>A workflow's state.</summary>
internal sealed record WorkflowStatusReport(string? Id, string? State, string? Request, IReadOnlyList<WorkflowTaskState> Tasks, IReadOnlyList<string> Events, IReadOnlyList<string> Recent);

/// <summary>One task's state.</summary>
internal sealed record WorkflowTaskState(string Id, string Agent, string Description, IReadOnlyList<string> DependsOn, string State);
