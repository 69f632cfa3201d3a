using System.Collections.Concurrent;
using System.Text;
using Memfun.Engine.Agents;

namespace Memfun.Engine.Orchestration;

/// <summary>
/// Runs a validated plan: every task whose dependencies are done runs at once (a parallel group); a task's
/// outputs reach its dependents as context; the reviewer reads all outputs and up to
/// <see cref="MaxRevisionRounds"/> rounds re-run the tasks it flags with its feedback; then the staged
/// changes of every task are applied once, in DAG order, through the workspace tools.
/// </summary>
public sealed class WorkflowRunner(IWorkflowTaskExecutor executor, IWorkflowReviewer? reviewer, IAgentToolHost applier)
{
    /// <summary>The most revision rounds a workflow gets.</summary>
    public const int MaxRevisionRounds = 2;

    /// <summary>Receives every event as it happens (the runtime's event bus, the dashboard, progress).</summary>
    public Func<WorkflowEvent, CancellationToken, ValueTask>? Events { get; init; }

    /// <summary>Runs <paramref name="plan"/> for <paramref name="request"/>.</summary>
    public async Task<WorkflowResult> RunAsync(string workflowId, string request, WorkflowPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var groups = WorkflowPlanValidator.Groups(plan);
        await EmitAsync("workflow.started", workflowId, null, null, $"{plan.Tasks.Count} tasks in {groups.Count} groups", cancellationToken).ConfigureAwait(false);

        var outcomes = new ConcurrentDictionary<string, WorkflowTaskOutcome>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            await Task.WhenAll(group.Select(t => RunTaskAsync(workflowId, t, ContextFor(t, outcomes, feedback: null), 0, outcomes, cancellationToken))).ConfigureAwait(false);
        }

        var rounds = 0;
        var summary = string.Empty;
        var conflicts = DetectConflicts(plan, outcomes);
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
                foreach (var group in groups)
                {
                    var again = group.Where(t => toRevise.Any(r => r.Key == t.Id)).ToList();
                    await Task.WhenAll(again.Select(t => RunTaskAsync(
                        workflowId, t, ContextFor(t, outcomes, toRevise.First(r => r.Key == t.Id).Value), rounds, outcomes, cancellationToken))).ConfigureAwait(false);
                }

                conflicts = DetectConflicts(plan, outcomes);
            }
        }

        var (applied, applyConflicts) = await ApplyAsync(plan, outcomes, cancellationToken).ConfigureAwait(false);
        var allConflicts = conflicts.Concat(applyConflicts).ToList();
        var failed = outcomes.Values.Any(o => o.Error is not null);
        var status = failed ? "failed" : allConflicts.Count > 0 ? "completed_with_conflicts" : "completed";
        await EmitAsync("workflow.completed", workflowId, null, null, status, cancellationToken).ConfigureAwait(false);
        return new WorkflowResult(workflowId, plan, Ordered(plan, outcomes), applied, allConflicts, rounds, summary, status);
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

    private async Task<(List<StagedOperation> Applied, List<string> Conflicts)> ApplyAsync(WorkflowPlan plan, ConcurrentDictionary<string, WorkflowTaskOutcome> outcomes, CancellationToken cancellationToken)
    {
        var applied = new List<StagedOperation>();
        var conflicts = new List<string>();
        foreach (var outcome in Ordered(plan, outcomes))
        {
            if (outcome.Error is not null)
            {
                continue;
            }

            foreach (var op in outcome.Staged)
            {
                var result = await applier.CallToolAsync(op.Tool, op.Arguments, cancellationToken).ConfigureAwait(false);
                if (result.IsError)
                {
                    conflicts.Add($"Task {op.TaskId}: {op.Tool} {op.Path} could not be applied: {result.Text}");
                }
                else
                {
                    applied.Add(op);
                }
            }
        }

        return (applied, conflicts);
    }

    private static List<WorkflowTaskOutcome> Ordered(WorkflowPlan plan, ConcurrentDictionary<string, WorkflowTaskOutcome> outcomes) =>
        [.. WorkflowPlanValidator.Groups(plan).SelectMany(g => g).Where(t => outcomes.ContainsKey(t.Id)).Select(t => outcomes[t.Id])];

    private ValueTask EmitAsync(string type, string workflowId, string? taskId, string? agent, string? detail, CancellationToken cancellationToken) =>
        Events is null ? ValueTask.CompletedTask : Events(new WorkflowEvent(type, workflowId, taskId, agent, detail, DateTimeOffset.UtcNow), cancellationToken);
}
