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

    /// <summary>Whether this server knows the workflow <paramref name="id"/>.</summary>
    public bool HasWorkflow(string id) => agents.Workflows.Find(id) is not null;

    [McpServerTool(Name = "workflow_status", Title = "Workflow status", ReadOnly = true, Idempotent = true, UseStructuredContent = true)]
    [Description("Shows a workflow's live state: its tasks with agents, dependencies and state (queued, running, completed, " +
        "failed), and its events. Omit id to list recent workflows.")]
    public WorkflowStatusReport WorkflowStatus(
        [Description("The workflow id (wf-…) from orchestrate.")] string? id = null)
    {
        if (string.IsNullOrEmpty(id))
        {
            return new WorkflowStatusReport(null, null, null, [], [], [.. agents.Workflows.All.Select(w => $"{w.Id} {w.State} {w.Request}")]);
        }

        var status = agents.Workflows.Find(id) ?? throw new McpException($"There is no workflow '{id}' in this server. Call workflow_status without an id to list them.");
        var (state, tasks, events) = status.Snapshot();
        var plan = status.Plan?.Tasks.Select(t => new WorkflowTaskState(t.Id, t.Agent, t.Description, t.Dependencies, tasks.GetValueOrDefault(t.Id, "pending"))).ToList() ?? [];
        return new WorkflowStatusReport(status.Id, state, status.Request, plan, [.. events.Select(e => $"{e.At:HH:mm:ss.fff} {e.Type} {e.TaskId} {e.Agent} {e.Detail}".TrimEnd())], []);
    }
}

/// <summary>The agent catalog.</summary>
internal sealed record AgentList(IReadOnlyList<AgentSummary> Agents, IReadOnlyList<string> Problems);

/// <summary>One agent; <paramref name="Overrides"/> is the file of the definition it replaces by name (a built-in, say), or null.</summary>
internal sealed record AgentSummary(string Name, string Tool, string Description, int MaxIterations, IReadOnlyList<string> Tools, IReadOnlyList<string> Delegates, bool CodeProducing, string Source, string? Overrides);

/// <summary>A workflow's state.</summary>
internal sealed record WorkflowStatusReport(string? Id, string? State, string? Request, IReadOnlyList<WorkflowTaskState> Tasks, IReadOnlyList<string> Events, IReadOnlyList<string> Recent);

/// <summary>One task's state.</summary>
internal sealed record WorkflowTaskState(string Id, string Agent, string Description, IReadOnlyList<string> DependsOn, string State);
