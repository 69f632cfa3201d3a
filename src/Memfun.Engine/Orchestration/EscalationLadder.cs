using Memfun.Engine.Agents;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Memfun.Engine.Orchestration;

/// <summary>
/// The orchestrator: runs a request up the escalation ladder. The context-first solver first (the <c>solve</c> tool);
/// when it truncates, is rejected or cannot verify, the specialist workflow (decomposed into a DAG, run, reviewed,
/// applied once). Exploration-heavy requests (find, count, locate across the workspace) go to the RLM loop first.
/// </summary>
/// <remarks>
/// The rungs are reached through <see cref="IAgentToolHost"/>, which the server binds to its own tools one level deeper,
/// so each rung is an ordinary tool call under the recursion cap. The workflow rung is the host's (it decides where a
/// workflow is stored and who coordinates it); its steps are here: <see cref="CreateRunnerAsync"/>, then
/// <see cref="PlanAndRunAsync"/>. Thread-safe: a call keeps its state to itself; workflows are recorded in the shared
/// <see cref="WorkflowRegistry"/>.
/// </remarks>
internal sealed class EscalationLadder(AgentCatalog catalog, WorkflowRegistry workflows, IOptions<AgentOptions> options, IServiceProvider services)
{
    /// <summary>
    /// Runs <paramref name="request"/> from the rung <paramref name="tier"/> chooses (<c>auto</c>, <c>solver</c>,
    /// <c>workflow</c>, <c>rlm</c>; see <see cref="OrchestrationTier"/>). A forced rung that does not finish is reported
    /// failed; under <c>auto</c> each rung that does not finish hands the request to the next, and says why in the notes.
    /// </summary>
    /// <param name="workflow">
    /// The workflow rung, the host's: a server records the workflow in its store (so that it outlives this process),
    /// takes its lease and runs it with <see cref="CreateRunnerAsync"/> and <see cref="PlanAndRunAsync"/>.
    /// </param>
    public async Task<OrchestrationReport> RunAsync(
        string request,
        string tier,
        IAgentToolHost tools,
        Func<CancellationToken, Task<WorkflowResult>> workflow,
        IProgress<string>? progress,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(workflow);
        var chosen = tier is "auto" or "" ? (OrchestrationTier.LooksExploratory(request) ? "rlm" : "solver") : tier;
        var notes = new List<string>();
        if (chosen == "rlm")
        {
            progress?.Report("exploring with the RLM loop");
            var rlm = await tools.CallToolAsync("rlm_run", new Dictionary<string, object?> { ["task"] = request }, cancellationToken).ConfigureAwait(false);
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
            progress?.Report("trying the context-first solver");
            // The ladder escalates here itself, so the solver is asked not to.
            var solved = await tools.CallToolAsync("solve", new Dictionary<string, object?> { ["task"] = request, ["escalate"] = false }, cancellationToken).ConfigureAwait(false);
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

        var result = await workflow(cancellationToken).ConfigureAwait(false);
        return OrchestrationReport.From(result) with { Notes = notes };
    }

    /// <summary>
    /// The workflow rung's work on a workflow not planned yet: maps the workspace, decomposes the request into a DAG of
    /// agent tasks (recorded as <paramref name="workflow"/>'s plan), and has <paramref name="runner"/> run, review and apply
    /// them. Where the workflow is stored and who coordinates it is the caller's (a server: its store and lease).
    /// </summary>
    public async Task<WorkflowResult> PlanAndRunAsync(
        WorkflowStatus workflow,
        WorkflowRunner runner,
        IChatClient chat,
        IAgentToolHost tools,
        IProgress<string>? progress,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(runner);
        var plan = await PlanAsync(workflow.Request, chat, tools, progress, cancellationToken).ConfigureAwait(false);
        workflow.Plan = plan;
        return await runner.RunAsync(workflow.Id, workflow.Request, plan, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Maps the workspace and decomposes <paramref name="request"/> into a plan of agent tasks.</summary>
    private async Task<WorkflowPlan> PlanAsync(
        string request, IChatClient chat, IAgentToolHost tools, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tools);
        progress?.Report("mapping the workspace");
        var map = await tools.CallToolAsync("code_map", new Dictionary<string, object?> { ["max_bytes"] = 8000 }, cancellationToken).ConfigureAwait(false);
        progress?.Report("decomposing the request");
        var (plan, _, _) = await new Decomposer().DecomposeAsync(
            request, map.IsError ? "(no code map)" : map.Text, catalog.Agents, chat, options.Value.MaxTasks, cancellationToken).ConfigureAwait(false);
        return plan;
    }

    /// <summary>
    /// The runner of a workflow: its executor (<c>memfun worker</c> nodes when <see cref="WorkflowExecutorChoice"/> says
    /// so, else here), reviewer, applier and events, recorded in the <see cref="WorkflowRegistry"/> and reported as
    /// progress lines; with <paramref name="store"/>, every step is recorded there too.
    /// </summary>
    public async Task<WorkflowRunner> CreateRunnerAsync(
        IChatClient chat,
        IAgentToolHost tools,
        IProgress<string>? progress,
        WorkflowStore? store = null,
        Func<string, CancellationToken, Task<byte[]?>>? readFile = null,
        CancellationToken cancellationToken = default)
    {
        var reviewAgent = catalog.Find("review");
        Func<WorkflowEvent, CancellationToken, ValueTask> events = (e, _) =>
        {
            workflows.Record(e);
            progress?.Report($"{e.Type}{(e.TaskId is null ? string.Empty : " " + e.TaskId)}{(e.Agent is null ? string.Empty : " (" + e.Agent + ")")}{(e.Detail is null ? string.Empty : ": " + e.Detail)}");
            return ValueTask.CompletedTask;
        };
        var executor = await WorkflowExecutorChoice.QueuedAsync(services, options.Value, events, cancellationToken).ConfigureAwait(false)
            ?? (IWorkflowTaskExecutor)new InProcessTaskExecutor(catalog, chat, tools, progress);
        return new WorkflowRunner(
            executor,
            reviewAgent is null ? null : new LlmWorkflowReviewer(chat, reviewAgent.SystemPrompt),
            tools)
        {
            Events = events,
            Store = store,
            ReadFile = readFile,
        };
    }

    private static string Shorten(string s) => s.Length <= 300 ? s : string.Concat(s.AsSpan(0, 297), "...");
}
