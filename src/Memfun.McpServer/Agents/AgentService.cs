using Memfun.Engine.Agents;
using Memfun.Engine.Llm;
using Memfun.Engine.Orchestration;
using Memfun.Engine.Solving;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Agents;

/// <summary>
/// Host-side glue of the agents: resolves the model for the calling session and the loopback tool host at the
/// right depth, runs a specialist, and hands a request to the orchestrator (<see cref="EscalationLadder"/>),
/// reporting progress to the caller.
/// </summary>
internal sealed partial class AgentService(
    AgentCatalog catalog,
    LoopbackSessions loopbacks,
    WorkflowRegistry workflows,
    EscalationLadder ladder,
    IOptions<AgentOptions> options,
    IServiceProvider services)
{
    public AgentCatalog Catalog => catalog;

    /// <summary>The configured <c>[agents] max_depth</c>.</summary>
    public int MaxDepth => options.Value.MaxDepth;

    public WorkflowRegistry Workflows => workflows;

    public IChatClient ChatFor(ModelContextProtocol.Server.McpServer server)
    {
        var factory = services.GetService<IChatClientFactory>() ?? throw new LlmNotConfiguredException();
        return factory.GetChatClient(server);
    }

    public async Task<LoopbackToolHost> ToolsFor(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        var session = await loopbacks.GetAsync(request.Server, cancellationToken);
        return new LoopbackToolHost(session, CallDepth.FromMeta(request.Params?.Meta) + 1);
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

    /// <summary>Runs a request up the escalation ladder (<see cref="EscalationLadder"/>) for a tool call; <paramref name="tier"/> forces one rung.</summary>
    public async Task<OrchestrationReport> OrchestrateAsync(
        string request,
        string tier,
        RequestContext<CallToolRequestParams> call,
        IProgress<ProgressNotificationValue>? progress,
        CancellationToken cancellationToken)
    {
        var tools = await ToolsFor(call, cancellationToken);
        return await ladder.RunAsync(
            request, tier, tools, token => RunWorkflowAsync(request, call, progress, token), Lines(progress), cancellationToken);
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

    /// <summary>
    /// The workflow rung for a tool call (<c>orchestrate</c>, <c>solve</c> escalating): decomposes and runs a new workflow
    /// with <see cref="EscalationLadder.PlanAndRunAsync"/>. With the runtime's workflow store (every server has one: SQLite
    /// by default), the workflow is recorded as it goes and can be resumed or cancelled after this process dies.
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

        return await CoordinateAsync(id, store, call, progress, cancellationToken, (runner, report, token) => PlanAndRunAsync(status, runner, call, report, token));
    }

    /// <summary>Plans <paramref name="workflow"/>'s request and runs it with <paramref name="runner"/>, for a tool call.</summary>
    private async Task<WorkflowResult> PlanAndRunAsync(
        WorkflowStatus workflow, WorkflowRunner runner, RequestContext<CallToolRequestParams> call, Action<string> report, CancellationToken cancellationToken)
        => await ladder.PlanAndRunAsync(
            workflow, runner, ChatFor(call.Server), await ToolsFor(call, cancellationToken), new Mcp.ForwardingProgress<string>(report), cancellationToken);

    /// <summary>The runner of a workflow for a tool call: its executor, reviewer, applier, events and store.</summary>
    private async Task<WorkflowRunner> RunnerAsync(
        WorkflowStore? store, RequestContext<CallToolRequestParams> call, Action<string> report, CancellationToken cancellationToken)
        => await ladder.CreateRunnerAsync(
            ChatFor(call.Server), await ToolsFor(call, cancellationToken), new Mcp.ForwardingProgress<string>(report), store, ReadWorkspaceFileAsync, cancellationToken);

    /// <summary>Each line of the ladder as the next MCP progress notification, passed on in order on the reporting thread.</summary>
    private static Mcp.ForwardingProgress<string>? Lines(IProgress<ProgressNotificationValue>? progress)
    {
        if (progress is null)
        {
            return null;
        }

        var step = 0;
        return new Mcp.ForwardingProgress<string>(line => progress.Report(new ProgressNotificationValue { Progress = Interlocked.Increment(ref step), Message = line }));
    }
}
