using Memfun.Engine.Agents;
using Memfun.Engine.Llm;
using Memfun.Engine.Solving;
using Memfun.Engine.Workflow;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Agents;

/// <summary>
/// Host-side glue of the agents: resolves the model for the calling session, the loopback tool host at the
/// right depth, and runs a specialist or a whole workflow, reporting progress to the caller.
/// </summary>
internal sealed partial class AgentService(
    AgentCatalog catalog,
    LoopbackSessions loopbacks,
    WorkflowRegistry workflows,
    IOptions<AgentOptions> options,
    IServiceProvider services)
{
    public AgentCatalog Catalog => catalog;

    public WorkflowRegistry Workflows => workflows;

    public IChatClient ChatFor(ModelContextProtocol.Server.McpServer server)
    {
        var factory = services.GetService<IChatClientFactory>() ?? throw new LlmNotConfiguredException();
        return factory.GetChatClient(server);
    }

    public async Task<LoopbackToolHost> ToolsFor(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        var session = await loopbacks.GetAsync(request.Server, cancellationToken);
        return new LoopbackToolHost(session, CallDepth.Of(request) + 1);
    }

    /// <summary>
    /// Runs one specialist for a tool call. A code-producing agent (<c>code_producing: true</c>) that changed files is
    /// followed by the quality pipeline (checks, up to two edit-only fixes, consistency review, polish), whose result is
    /// part of the report. Tasks of a workflow do not come through here: the workflow reviews its own outputs.
    /// </summary>
    public async Task<AgentRunReport> RunAgentAsync(
        string agentName,
        string task,
        string? context,
        RequestContext<CallToolRequestParams> request,
        IProgress<ProgressNotificationValue>? progress,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(task))
        {
            throw new McpException("'task' is empty: say what the agent should do.");
        }

        var agent = catalog.Get(agentName);
        var chat = ChatFor(request.Server);
        var loopback = await ToolsFor(request, cancellationToken);
        var quality = agent.CodeProducing ? services.GetService<QualityPipeline>() : null;
        var reader = quality is null ? null : services.GetService<IWorkspaceReader>();
        var tracked = reader is null ? null : new ChangeTrackingToolHost(loopback, reader);
        var step = 0;
        var lines = progress is null ? null : new Mcp.ForwardingProgress<string>(line => progress.Report(new ProgressNotificationValue { Progress = ++step, Total = agent.MaxIterations, Message = line }));
        var result = await new SpecialistRunner().RunAsync(agent, task, context, chat, (IAgentToolHost?)tracked ?? loopback, lines, cancellationToken: cancellationToken);
        if (quality is null || tracked is null || !result.Operations.Any(o => o.Succeeded))
        {
            return AgentRunReport.From(result);
        }

        var checkedChange = await quality.RunAsync(task, result.Answer, tracked.Originals, chat, lines, cancellationToken);
        return AgentRunReport.From(result, checkedChange);
    }

    /// <summary>
    /// The escalation ladder: the context-first solver (through the <c>solve</c> tool); when it truncates, is
    /// rejected or cannot verify, the specialist workflow; exploration-heavy requests (find, count, locate
    /// across the workspace) go to the RLM loop first. <paramref name="tier"/> forces one rung.
    /// </summary>
    public async Task<OrchestrationReport> OrchestrateAsync(
        string request,
        string tier,
        RequestContext<CallToolRequestParams> call,
        IProgress<ProgressNotificationValue>? progress,
        CancellationToken cancellationToken)
    {
        var chosen = tier is "auto" or "" ? (OrchestrationTier.LooksExploratory(request) ? "rlm" : "solver") : tier;
        var notes = new List<string>();
        var tools = await ToolsFor(call, cancellationToken);
        if (chosen == "rlm")
        {
            progress?.Report(new ProgressNotificationValue { Progress = 0, Message = "exploring with the RLM loop" });
            var rlm = await tools.CallToolAsync("rlm_run", new Dictionary<string, object?> { ["task"] = request }, cancellationToken);
            var finish = rlm.Structured is { } rs && rs.TryGetProperty("finish", out var f) ? f.GetString() : null;
            if (!rlm.IsError && finish == "final")
            {
                return OrchestrationReport.Single("rlm", "completed", rlm.Text);
            }

            if (tier == "rlm")
            {
                return OrchestrationReport.Single("rlm", "failed", rlm.Text);
            }

            notes.Add($"The RLM loop did not finish ({finish ?? "error"}): {Shorten(rlm.Text)}");
            chosen = "solver";
        }

        if (chosen == "solver")
        {
            progress?.Report(new ProgressNotificationValue { Progress = 0, Message = "trying the context-first solver" });
            // The ladder escalates here itself, so the solver is asked not to.
            var solved = await tools.CallToolAsync("solve", new Dictionary<string, object?> { ["task"] = request, ["escalate"] = false }, cancellationToken);
            var status = solved.Structured is { } ss && ss.TryGetProperty("status", out var st) ? st.GetString() : null;
            if (!solved.IsError && status is "Completed" or "NoChanges" or "Answered")
            {
                return OrchestrationReport.Single("solver", "completed", solved.Text) with { Notes = notes };
            }

            if (tier == "solver")
            {
                return OrchestrationReport.Single("solver", "failed", solved.Text) with { Notes = notes };
            }

            notes.Add($"The solver did not finish ({status ?? "error"}), escalating to the workflow: {Shorten(solved.Text)}");
        }

        var result = await RunWorkflowAsync(request, call, progress, cancellationToken);
        return OrchestrationReport.From(result) with { Notes = notes };
    }

    /// <summary>
    /// The workflow rung for a solver call that could not finish (<c>solve</c> escalating on its own). It runs at the
    /// caller's depth, like <c>orchestrate</c>: the solver call already passed the recursion guard, and every tool the
    /// workflow's agents call is one level deeper and guarded again, so a chain of escalations ends at the cap.
    /// A workflow that cannot start or fails is reported, not thrown.
    /// </summary>
    public async Task<SolverEscalation> EscalateAsync(
        string request,
        RequestContext<CallToolRequestParams> call,
        IProgress<ProgressNotificationValue>? progress,
        CancellationToken cancellationToken)
    {
        OrchestrationReport report;
        try
        {
            report = OrchestrationReport.From(await RunWorkflowAsync(request, call, progress, cancellationToken));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new SolverEscalation("workflow", "failed", null, "The workflow could not run: " + ex.Message);
        }

        return new SolverEscalation(
            "workflow",
            report.Status,
            report.WorkflowId,
            report.ToText(),
            System.Text.Json.JsonSerializer.SerializeToElement(report, Mcp.ToolResults.Json));
    }

    private static string Shorten(string s) => s.Length <= 300 ? s : string.Concat(s.AsSpan(0, 297), "...");

    /// <summary>
    /// Decomposes and runs a workflow for a tool call. With the runtime's workflow store (every server has one: SQLite by
    /// default), the workflow is recorded as it goes and can be resumed or cancelled after this process dies.
    /// </summary>
    public async Task<WorkflowResult> RunWorkflowAsync(
        string request,
        RequestContext<CallToolRequestParams> call,
        IProgress<ProgressNotificationValue>? progress,
        CancellationToken cancellationToken)
    {
        var id = "wf-" + Guid.NewGuid().ToString("N")[..12];
        var status = workflows.Start(id, request);
        var store = services.GetService<WorkflowStore>();
        if (store is not null)
        {
            await store.CreateAsync(new WorkflowRecord(
                id, request, "planning", null, 0, new Dictionary<string, string>(), string.Empty, [], WorkflowOwner.Current, status.Started, status.Started), cancellationToken);
        }

        return await CoordinateAsync(id, store, call, progress, cancellationToken, async (runner, report, token) =>
        {
            var plan = await PlanAsync(request, call, report, token);
            status.Plan = plan;
            return await runner.RunAsync(id, request, plan, token);
        });
    }

    /// <summary>Maps the workspace and decomposes <paramref name="request"/> into a plan.</summary>
    private async Task<WorkflowPlan> PlanAsync(string request, RequestContext<CallToolRequestParams> call, Action<string> report, CancellationToken cancellationToken)
    {
        var tools = await ToolsFor(call, cancellationToken);
        report("mapping the workspace");
        var map = await tools.CallToolAsync("code_map", new Dictionary<string, object?> { ["max_bytes"] = 8000 }, cancellationToken);
        report("decomposing the request");
        var (plan, _, _) = await new Decomposer().DecomposeAsync(
            request, map.IsError ? "(no code map)" : map.Text, catalog.Agents, ChatFor(call.Server), options.Value.MaxTasks, cancellationToken);
        return plan;
    }

    /// <summary>The runner of workflow <paramref name="id"/> for a tool call: its executor, reviewer, applier, events and store.</summary>
    private async Task<WorkflowRunner> RunnerAsync(
        string id, WorkflowStore? store, RequestContext<CallToolRequestParams> call, Action<string> report, CancellationToken cancellationToken)
    {
        var chat = ChatFor(call.Server);
        var tools = await ToolsFor(call, cancellationToken);
        var reviewAgent = catalog.Find("review");
        Func<WorkflowEvent, CancellationToken, ValueTask> events = (e, _) =>
        {
            workflows.Record(e);
            report($"{e.Type}{(e.TaskId is null ? string.Empty : " " + e.TaskId)}{(e.Agent is null ? string.Empty : " (" + e.Agent + ")")}{(e.Detail is null ? string.Empty : ": " + e.Detail)}");
            return ValueTask.CompletedTask;
        };
        var executor = await WorkflowExecutorChoice.QueuedAsync(services, options.Value, events, cancellationToken)
            ?? (IWorkflowTaskExecutor)new InProcessTaskExecutor(catalog, chat, tools, new Mcp.ForwardingProgress<string>(report));
        return new WorkflowRunner(
            executor,
            reviewAgent is null ? null : new LlmWorkflowReviewer(chat, reviewAgent.SystemPrompt),
            tools)
        {
            Events = events,
            Store = store,
            ReadFile = ReadWorkspaceFileAsync,
        };
    }
}
