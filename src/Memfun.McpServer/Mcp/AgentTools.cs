using System.ComponentModel;
using System.Text.Json;
using Memfun.McpServer.Agents;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Mcp;

/// <summary>The agent tools: the catalog, the orchestrator and workflow status. Specialists are added per AGENT.md.</summary>
[McpServerToolType]
internal sealed class AgentTools(AgentService agents)
{
    [McpServerTool(Name = "list_agents", Title = "List agents", ReadOnly = true, Idempotent = true, UseStructuredContent = true)]
    [Description("Lists the specialist agents (built-in and the workspace's own AGENT.md files): name, tool name, description, " +
                 "iteration cap, allowed tools, delegates, whether it changes code, and which definition it overrides (a workspace agent that " +
                 "replaces a built-in of the same name). Also lists invalid AGENT.md files with the reason.")]
    public AgentList ListAgents()
    {
        var catalog = agents.Catalog;
        catalog.Reload();
        return new AgentList(
            [.. catalog.Agents.Select(a => new AgentSummary(a.Name, a.ToolName, a.Description, a.MaxIterations, a.Tools, a.Delegates, a.CodeProducing, a.SourcePath, a.Overrides))],
            [.. catalog.Problems.Select(p => p.Message)]);
    }

    [McpServerTool(Name = "orchestrate", Title = "Orchestrate agents", Destructive = true, Idempotent = false, OpenWorld = true, UseStructuredContent = true, OutputSchemaType = typeof(OrchestrationReport))]
    [Description("Runs a coding request up the escalation ladder: first the context-first solver (one planned, verified change); " +
                 "when that cannot finish, a team of specialist agents: decomposes it into a DAG of tasks (coder, test, debug, " +
                 "review, file, security, planner, web_search, web_fetch), runs independent tasks in parallel, has the review agent check " +
                 "all outputs for conflicts (up to 2 revision rounds), then applies every change once, in order. Streams progress per step " +
                 "and task. Returns every task with its agent, iterations, tokens and operations, the changes applied and any conflict. " +
                 "Use it for multi-step work; for a small change a single specialist such as coder_agent is faster. Needs a model.")]
    public async Task<CallToolResult> Orchestrate(
        [Description("The request, self-contained: what to build or change and how to know it is done.")] string task,
        RequestContext<CallToolRequestParams> request,
        IProgress<ProgressNotificationValue> progress,
        [Description("Optional recursion cap for the agents this call starts; it can only lower the server's [agents] max_depth.")] int? max_depth = null,
        [Description("Which rung of the ladder to use: 'auto' (default: the solver first, the workflow when it cannot finish, the RLM loop first for find/count/locate questions), 'solver', 'workflow' or 'rlm'.")] string? tier = null,
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

        if (max_depth is { } cap && Agents.CallDepth.Of(request) >= cap)
        {
            throw new McpException($"orchestrate was called at depth {Agents.CallDepth.Of(request)}, which reaches the requested max_depth of {cap}.");
        }

        var report = await agents.OrchestrateAsync(task, rung, request, progress, cancellationToken);
        return ToolResults.Structured(report.ToText(), report, report.Status == "failed");
    }

    /// <summary>Whether this server knows the workflow <paramref name="id"/>.</summary>
    public bool HasWorkflow(string id) => agents.Workflows.Find(id) is not null;

    [McpServerTool(Name = "workflow_status", Title = "Workflow status", ReadOnly = true, Idempotent = true, UseStructuredContent = true)]
    [Description("Shows a workflow's live state: its DAG (tasks, agents, dependencies), each task's state (queued, running, completed, " +
                 "failed) and the events so far. Pass the id from orchestrate's result, or omit it to list recent workflows.")]
    public WorkflowStatusReport WorkflowStatus(
        [Description("The workflow id (wf-…); omit to list the recent workflows.")] string? id = null)
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
