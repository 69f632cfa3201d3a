using Memfun.Engine.Orchestration;

namespace Memfun.Engine.Tests.Orchestration;

public sealed class WorkflowPlanValidatorTests
{
    private static readonly HashSet<string> Agents = ["coder", "test", "review"];

    private static WorkflowTask T(string id, string agent = "coder", params string[] deps) => new(id, $"do {id}", agent, DependsOn: deps);

    [Fact]
    public void A_valid_plan_has_no_problems_and_groups_by_dependency()
    {
        var plan = new WorkflowPlan([T("a"), T("b"), T("c", "test", "a", "b"), T("d", "review", "c")]);

        Assert.Empty(WorkflowPlanValidator.Validate(plan, Agents, 10));
        var groups = WorkflowPlanValidator.Groups(plan);
        Assert.Equal([["a", "b"], ["c"], ["d"]], groups.Select(g => g.Select(t => t.Id).ToArray()).ToArray());
    }

    [Fact]
    public void A_cycle_is_refused_and_named()
    {
        var plan = new WorkflowPlan([T("a", "coder", "c"), T("b", "coder", "a"), T("c", "coder", "b")]);

        var problems = WorkflowPlanValidator.Validate(plan, Agents, 10);

        Assert.Contains("The plan has a dependency cycle: a -> c -> b -> a.", problems);
    }

    [Fact]
    public void Unknown_agents_missing_dependencies_duplicates_and_the_cap_are_each_reported()
    {
        var plan = new WorkflowPlan([T("a", "wizard"), T("a"), T("b", "coder", "zzz"), T("c", "coder", "c")]);

        var problems = WorkflowPlanValidator.Validate(plan, Agents, 3);

        Assert.Contains(problems, p => p.Contains("unknown agent 'wizard'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'a' is used twice", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("depends on 'zzz'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'c' depends on itself", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("at most 3", StringComparison.Ordinal));
        Assert.Throws<WorkflowPlanException>(() => WorkflowPlanValidator.EnsureValid(plan, Agents, 3));
    }
}
