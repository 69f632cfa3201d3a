namespace Memfun.Engine.Orchestration;

/// <summary>
/// Checks a plan before anything runs: ids unique and well formed, every agent known, every dependency
/// present, no cycle (the cycle is named), at most the task cap; and orders it into parallel groups.
/// </summary>
public static class WorkflowPlanValidator
{
    /// <summary>Validates <paramref name="plan"/>; returns every problem found (empty when valid).</summary>
    public static IReadOnlyList<string> Validate(WorkflowPlan plan, ISet<string> knownAgents, int maxTasks)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(knownAgents);
        var problems = new List<string>();
        var tasks = plan.Tasks ?? [];
        if (tasks.Count == 0)
        {
            problems.Add("The plan has no tasks.");
            return problems;
        }

        if (tasks.Count > maxTasks)
        {
            problems.Add($"The plan has {tasks.Count} tasks; at most {maxTasks} are allowed. Merge small steps.");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in tasks)
        {
            if (string.IsNullOrWhiteSpace(t.Id))
            {
                problems.Add("A task has no id.");
                continue;
            }

            if (!ids.Add(t.Id))
            {
                problems.Add($"Task id '{t.Id}' is used twice.");
            }

            if (string.IsNullOrWhiteSpace(t.Description))
            {
                problems.Add($"Task '{t.Id}' has no description.");
            }

            if (!knownAgents.Contains(t.Agent ?? string.Empty))
            {
                problems.Add($"Task '{t.Id}' names the unknown agent '{t.Agent}'; known agents: {string.Join(", ", knownAgents.Order(StringComparer.Ordinal))}.");
            }

            if (t.MaxIterations is < 0 or > 100)
            {
                problems.Add($"Task '{t.Id}' asks for {t.MaxIterations} iterations; use 1 to 100.");
            }
        }

        foreach (var t in tasks)
        {
            foreach (var d in t.Dependencies)
            {
                if (d == t.Id)
                {
                    problems.Add($"Task '{t.Id}' depends on itself.");
                }
                else if (!ids.Contains(d))
                {
                    problems.Add($"Task '{t.Id}' depends on '{d}', which is not a task of the plan.");
                }
            }
        }

        if (FindCycle(tasks) is { } cycle)
        {
            problems.Add($"The plan has a dependency cycle: {string.Join(" -> ", cycle)}.");
        }

        return problems;
    }

    /// <summary>Validates and throws <see cref="WorkflowPlanException"/> on any problem.</summary>
    public static void EnsureValid(WorkflowPlan plan, ISet<string> knownAgents, int maxTasks)
    {
        var problems = Validate(plan, knownAgents, maxTasks);
        if (problems.Count > 0)
        {
            throw new WorkflowPlanException(problems);
        }
    }

    /// <summary>Orders a valid plan into groups: each group's tasks depend only on earlier groups.</summary>
    public static IReadOnlyList<IReadOnlyList<WorkflowTask>> Groups(WorkflowPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var remaining = plan.Tasks.ToList();
        var groups = new List<IReadOnlyList<WorkflowTask>>();
        while (remaining.Count > 0)
        {
            var ready = remaining.Where(t => t.Dependencies.All(done.Contains)).ToList();
            if (ready.Count == 0)
            {
                throw new WorkflowPlanException("The plan has a dependency cycle.");
            }

            groups.Add(ready);
            foreach (var t in ready)
            {
                done.Add(t.Id);
                remaining.Remove(t);
            }
        }

        return groups;
    }

    private static List<string>? FindCycle(IReadOnlyList<WorkflowTask> tasks)
    {
        var byId = tasks.Where(t => !string.IsNullOrEmpty(t.Id)).GroupBy(t => t.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = on stack, 2 = done
        var stack = new List<string>();

        List<string>? Visit(string id)
        {
            state[id] = 1;
            stack.Add(id);
            foreach (var d in byId[id].Dependencies)
            {
                if (!byId.ContainsKey(d) || d == id)
                {
                    continue;
                }

                if (state.GetValueOrDefault(d) == 1)
                {
                    var start = stack.IndexOf(d);
                    return [.. stack.Skip(start), d];
                }

                if (state.GetValueOrDefault(d) == 0 && Visit(d) is { } found)
                {
                    return found;
                }
            }

            stack.RemoveAt(stack.Count - 1);
            state[id] = 2;
            return null;
        }

        foreach (var id in byId.Keys.Order(StringComparer.Ordinal))
        {
            if (state.GetValueOrDefault(id) == 0 && Visit(id) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }
}
