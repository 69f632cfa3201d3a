using System.Collections.Concurrent;
using System.Text;
using Memfun.Engine.Agents;

namespace Memfun.Engine.Orchestration;

/// <summary>
/// Runs a validated plan: every task whose dependencies are done runs at once (a parallel group); a task's
/// outputs reach its dependents as context; the reviewer reads all outputs and up to
/// <see cref="MaxRevisionRounds"/> rounds re-run the tasks it flags with its feedback; then the staged
/// changes of every task are applied once, in DAG order, through the workspace tools. With a <see cref="Store"/>, every
/// step is recorded in the backend as it happens, so a workflow survives its coordinator (see <see cref="WorkflowRecord"/>).
/// </summary>
public sealed class WorkflowRunner(IWorkflowTaskExecutor executor, IWorkflowReviewer? reviewer, IAgentToolHost applier)
{
    /// <summary>The most revision rounds a workflow gets.</summary>
    public const int MaxRevisionRounds = 2;

    /// <summary>Receives every event as it happens (the runtime's event bus, the dashboard, progress).</summary>
    public Func<WorkflowEvent, CancellationToken, ValueTask>? Events { get; init; }

    /// <summary>
    /// Keeps the workflow's record, its tasks' outcomes and its apply journal in the backend, so that another coordinator
    /// can <see cref="ResumeAsync"/> it; null keeps the workflow in this process's memory only. With a store, the
    /// workflow's record must exist (<see cref="WorkflowStore.CreateAsync"/>) before <see cref="RunAsync"/>.
    /// </summary>
    public WorkflowStore? Store { get; init; }

    /// <summary>Reads a workspace file's bytes (null when it does not exist), for the apply journal's hashes.</summary>
    public Func<string, CancellationToken, Task<byte[]?>>? ReadFile { get; init; }

    /// <summary>Runs <paramref name="plan"/> for <paramref name="request"/>.</summary>
    public Task<WorkflowResult> RunAsync(string workflowId, string request, WorkflowPlan plan, CancellationToken cancellationToken = default) =>
        RunCoreAsync(workflowId, request, plan, null, new Dictionary<string, WorkflowTaskOutcome>(StringComparer.Ordinal), cancellationToken);

    /// <summary>
    /// Runs the rest of a workflow whose coordinator stopped (<see cref="Store"/> is required): tasks with a recorded
    /// outcome are not run again, an interrupted revision round re-runs only its unfinished tasks, and the apply journal
    /// applies every staged operation once.
    /// </summary>
    /// <exception cref="WorkflowCancelledException">The workflow was cancelled.</exception>
    public async Task<WorkflowResult> ResumeAsync(WorkflowRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var store = Store ?? throw new InvalidOperationException("Resuming a workflow needs its store.");
        var plan = record.Plan ?? throw new InvalidOperationException($"Workflow {record.Id} has no plan yet: plan it again instead.");
        var done = await store.OutcomesAsync(record.Id, cancellationToken).ConfigureAwait(false);
        return await RunCoreAsync(record.Id, record.Request, plan, record, done, cancellationToken).ConfigureAwait(false);
    }

    private async Task<WorkflowResult> RunCoreAsync(
        string workflowId, string request, WorkflowPlan plan, WorkflowRecord? resumed, IReadOnlyDictionary<string, WorkflowTaskOutcome> done, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var groups = WorkflowPlanValidator.Groups(plan);
        var phase = resumed?.State ?? "running";
        await EmitAsync("workflow.started", workflowId, null, null,
            resumed is null ? $"{plan.Tasks.Count} tasks in {groups.Count} groups" : $"resumed while {phase}: {done.Count} of {plan.Tasks.Count} tasks already done", cancellationToken).ConfigureAwait(false);
        await CheckpointAsync(workflowId, r => r with { State = phase is "planning" or "running" ? "running" : r.State, Plan = plan }, cancellationToken).ConfigureAwait(false);

        var outcomes = new ConcurrentDictionary<string, WorkflowTaskOutcome>(done, StringComparer.Ordinal);
        foreach (var group in phase is "planning" or "running" ? groups : Array.Empty<IReadOnlyList<WorkflowTask>>())
        {
            // On resume, a task with a recorded outcome is done: it is not run again.
            await Task.WhenAll(group.Where(t => !outcomes.ContainsKey(t.Id)).Select(t => RunTaskAsync(workflowId, t, ContextFor(t, outcomes, feedback: null), 0, outcomes, cancellationToken))).ConfigureAwait(false);
        }

        var rounds = resumed?.Round ?? 0;
        var summary = resumed?.Summary ?? string.Empty;
        List<string> conflicts;
        if (phase == "applying")
        {
            conflicts = [.. resumed!.Conflicts];
        }
        else
        {
            await CheckpointAsync(workflowId, r => r with { State = "reviewing" }, cancellationToken).ConfigureAwait(false);
            if (resumed is { State: "reviewing", Revisions.Count: > 0 })
            {
                // The coordinator stopped during a revision round: finish it (its finished tasks are not run again).
                await ReviseAsync(workflowId, groups, resumed.Revisions, rounds, outcomes, cancellationToken).ConfigureAwait(false);
            }

            conflicts = DetectConflicts(plan, outcomes);
            if (reviewer is not null)
            {
                while (true)
                {
                    var ordered = Ordered(plan, outcomes);
                    var review = await reviewer.ReviewAsync(request, ordered, conflicts, cancellationToken).ConfigureAwait(false);
                    summary = review.Summary;
                    var toRevise = review.Revisions.Where(r => outcomes.ContainsKey(r.Key)).ToList();
                    if (review.Ok || toRevise.Count == 0 || rounds >= MaxRevisionRounds)
                    {
                        break;
                    }

                    rounds++;
                    var revisions = toRevise.GroupBy(r => r.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
                    await CheckpointAsync(workflowId, r => r with { Round = rounds, Revisions = revisions }, cancellationToken).ConfigureAwait(false);
                    await ReviseAsync(workflowId, groups, revisions, rounds, outcomes, cancellationToken).ConfigureAwait(false);
                    conflicts = DetectConflicts(plan, outcomes);
                }
            }

            var reviewed = conflicts;
            await CheckpointAsync(workflowId, r => r with { State = "applying", Round = rounds, Revisions = new Dictionary<string, string>(StringComparer.Ordinal), Summary = summary, Conflicts = reviewed }, cancellationToken).ConfigureAwait(false);
        }

        var (applied, applyConflicts) = await ApplyAsync(workflowId, plan, outcomes, cancellationToken).ConfigureAwait(false);
        var allConflicts = conflicts.Concat(applyConflicts).ToList();
        var failed = outcomes.Values.Any(o => o.Error is not null);
        var status = failed ? "failed" : allConflicts.Count > 0 ? "completed_with_conflicts" : "completed";
        await CheckpointAsync(workflowId, r => r with { State = status, Conflicts = allConflicts }, cancellationToken).ConfigureAwait(false);
        await EmitAsync("workflow.completed", workflowId, null, null, status, cancellationToken).ConfigureAwait(false);
        return new WorkflowResult(workflowId, plan, Ordered(plan, outcomes), applied, allConflicts, rounds, summary, status);
    }

    /// <summary>Runs revision round <paramref name="round"/>: each flagged task not yet revised in it, group by group.</summary>
    private async Task ReviseAsync(
        string workflowId, IReadOnlyList<IReadOnlyList<WorkflowTask>> groups, IReadOnlyDictionary<string, string> revisions, int round,
        ConcurrentDictionary<string, WorkflowTaskOutcome> outcomes, CancellationToken cancellationToken)
    {
        foreach (var group in groups)
        {
            var again = group.Where(t => revisions.ContainsKey(t.Id) && !(outcomes.TryGetValue(t.Id, out var o) && o.Round >= round)).ToList();
            await Task.WhenAll(again.Select(t => RunTaskAsync(
                workflowId, t, ContextFor(t, outcomes, revisions[t.Id]), round, outcomes, cancellationToken))).ConfigureAwait(false);
        }
    }

    /// <summary>Moves the stored record (when there is a store); a workflow cancelled meanwhile stops here.</summary>
    private async Task CheckpointAsync(string workflowId, Func<WorkflowRecord, WorkflowRecord> change, CancellationToken cancellationToken)
    {
        if (Store is null)
        {
            return;
        }

        var record = await Store.UpdateAsync(workflowId, change, cancellationToken).ConfigureAwait(false);
        if (record.State == "cancelled")
        {
            throw new WorkflowCancelledException(workflowId, record.Detail);
        }
    }

    private async Task RunTaskAsync(string workflowId, WorkflowTask task, string context, int round, ConcurrentDictionary<string, WorkflowTaskOutcome> outcomes, CancellationToken cancellationToken)
    {
        await EmitAsync("task.published", workflowId, task.Id, task.Agent,
            round > 0 ? $"revision {round}" : task.Dependencies.Count > 0 ? "after " + string.Join(", ", task.Dependencies) : null, cancellationToken).ConfigureAwait(false);
        WorkflowTaskOutcome outcome;
        try
        {
            outcome = await executor.ExecuteAsync(workflowId, task, context, round, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // One task's failure is recorded and reported; the others go on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            outcome = new WorkflowTaskOutcome(task, null, [], round, ex.Message);
        }

        outcomes[task.Id] = outcome;
        if (Store is not null)
        {
            await Store.PutOutcomeAsync(workflowId, outcome, cancellationToken).ConfigureAwait(false);
        }

        await EmitAsync(outcome.Error is null ? "task.completed" : "task.failed", workflowId, task.Id, task.Agent,
            outcome.Error ?? $"{Memfun.Tools.Plural.Of(outcome.Result?.Iterations ?? 0, "iteration")}, {Memfun.Tools.Plural.Of(outcome.Result?.TotalTokens ?? 0, "token")}", cancellationToken).ConfigureAwait(false);
    }

    private static string ContextFor(WorkflowTask task, ConcurrentDictionary<string, WorkflowTaskOutcome> outcomes, string? feedback)
    {
        var sb = new StringBuilder();
        foreach (var dep in task.Dependencies)
        {
            if (outcomes.TryGetValue(dep, out var o))
            {
                sb.Append("### Output of ").Append(dep).Append(" (").Append(o.Task.Agent).AppendLine(")");
                sb.AppendLine(o.Result?.Answer ?? o.Error ?? string.Empty);
                foreach (var s in o.Staged)
                {
                    sb.Append("- staged ").Append(s.Tool).Append(' ').AppendLine(s.Path);
                }
            }
        }

        if (outcomes.TryGetValue(task.Id, out var previous) && feedback is not null)
        {
            sb.AppendLine("### Your previous answer").AppendLine(previous.Result?.Answer ?? previous.Error ?? string.Empty);
            sb.AppendLine("### Review feedback to address").AppendLine(feedback);
        }

        return sb.ToString();
    }

    /// <summary>Two tasks that change the same file are a conflict for the reviewer to settle.</summary>
    private static List<string> DetectConflicts(WorkflowPlan plan, ConcurrentDictionary<string, WorkflowTaskOutcome> outcomes)
    {
        var byPath = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var o in Ordered(plan, outcomes))
        {
            foreach (var path in o.Staged.Select(s => s.Path).Distinct(StringComparer.Ordinal))
            {
                if (!byPath.TryGetValue(path, out var list))
                {
                    byPath[path] = list = [];
                }

                list.Add(o.Task.Id);
            }
        }

        return [.. byPath.Where(kv => kv.Value.Count > 1 && !Sequential(plan, kv.Value)).Select(kv => $"Tasks {string.Join(" and ", kv.Value)} both change '{kv.Key}'.")];

        // Changes by a task and one that depends on it are sequential, not a conflict.
        bool Sequential(WorkflowPlan p, List<string> ids) =>
            ids.Zip(ids.Skip(1)).All(pair => DependsOn(p, pair.Second, pair.First));
    }

    private static bool DependsOn(WorkflowPlan plan, string taskId, string ancestor)
    {
        var byId = plan.Tasks.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var stack = new Stack<string>([taskId]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (stack.Count > 0)
        {
            var id = stack.Pop();
            if (!seen.Add(id) || !byId.TryGetValue(id, out var t))
            {
                continue;
            }

            foreach (var d in t.Dependencies)
            {
                if (d == ancestor)
                {
                    return true;
                }

                stack.Push(d);
            }
        }

        return false;
    }

    private async Task<(List<StagedOperation> Applied, List<string> Conflicts)> ApplyAsync(string workflowId, WorkflowPlan plan, ConcurrentDictionary<string, WorkflowTaskOutcome> outcomes, CancellationToken cancellationToken)
    {
        var applied = new List<StagedOperation>();
        var conflicts = new List<string>();
        var journal = Store is null ? null : new ApplyJournal(Store, workflowId, ReadFile ?? ((_, _) => Task.FromResult<byte[]?>(null)));
        var index = 0;
        foreach (var outcome in Ordered(plan, outcomes))
        {
            if (outcome.Error is not null)
            {
                continue;
            }

            foreach (var op in outcome.Staged)
            {
                var conflict = journal is null
                    ? await ApplyOneAsync(op, cancellationToken).ConfigureAwait(false)
                    : await journal.ApplyOnceAsync(index, op, ApplyOneAsync, cancellationToken).ConfigureAwait(false);
                index++;
                if (conflict is null)
                {
                    applied.Add(op);
                }
                else
                {
                    conflicts.Add(conflict);
                }
            }
        }

        return (applied, conflicts);
    }

    /// <summary>Applies one staged operation through the workspace tools; returns the conflict, or null when it applied.</summary>
    private async Task<string?> ApplyOneAsync(StagedOperation op, CancellationToken cancellationToken)
    {
        var result = await applier.CallToolAsync(op.Tool, op.Arguments, cancellationToken).ConfigureAwait(false);
        return result.IsError ? $"Task {op.TaskId}: {op.Tool} {op.Path} could not be applied: {result.Text}" : null;
    }

    private static List<WorkflowTaskOutcome> Ordered(WorkflowPlan plan, ConcurrentDictionary<string, WorkflowTaskOutcome> outcomes) =>
        [.. WorkflowPlanValidator.Groups(plan).SelectMany(g => g).Where(t => outcomes.ContainsKey(t.Id)).Select(t => outcomes[t.Id])];

    private ValueTask EmitAsync(string type, string workflowId, string? taskId, string? agent, string? detail, CancellationToken cancellationToken) =>
        Events is null ? ValueTask.CompletedTask : Events(new WorkflowEvent(type, workflowId, taskId, agent, detail, DateTimeOffset.UtcNow), cancellationToken);
}
