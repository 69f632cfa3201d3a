using Memfun.Engine.Agents;
using Memfun.Engine.Llm;
using Memfun.Engine.Orchestration;
using Memfun.Engine.Solving;
using Memfun.Engine.Tests.Infrastructure;
using Microsoft.Extensions.AI;

namespace Memfun.Engine.Tests.Orchestration;

public sealed class DecomposerTests
{
    private static readonly AgentDefinition[] Agents =
    [
        new("coder", "Codes.", 15, [], [], true, "p", "x"),
        new("test", "Tests.", 10, [], [], true, "p", "x"),
    ];

    [Fact]
    public async Task A_valid_plan_takes_one_call()
    {
        var chat = new ScriptedChatClient().Then("""Here: {"tasks":[{"id":"t1","description":"code it","agent":"coder"},{"id":"t2","description":"test it","agent":"test","depends_on":["t1"]}]}""");

        var (plan, calls, _) = await new Decomposer().DecomposeAsync("add a feature", "map", Agents, chat);

        Assert.Equal(1, calls);
        Assert.Equal(["t1", "t2"], plan.Tasks.Select(t => t.Id));
        Assert.Equal(ChatResponseFormat.Json, chat.Calls[0].Options!.ResponseFormat);
    }

    [Fact]
    public async Task A_cyclic_or_unknown_agent_plan_is_repaired_once_with_the_problems_named()
    {
        var chat = new ScriptedChatClient()
            .Then("""{"tasks":[{"id":"t1","description":"a","agent":"wizard","depends_on":["t2"]},{"id":"t2","description":"b","agent":"coder","depends_on":["t1"]}]}""")
            .Then("""{"tasks":[{"id":"t1","description":"a","agent":"coder"},{"id":"t2","description":"b","agent":"coder","depends_on":["t1"]}]}""");

        var (plan, calls, _) = await new Decomposer().DecomposeAsync("x", "map", Agents, chat);

        Assert.Equal(2, calls);
        Assert.Equal("coder", plan.Tasks[0].Agent);
        var repairRequest = chat.Calls[1].Messages[^1].Text;
        Assert.Contains("unknown agent 'wizard'", repairRequest, StringComparison.Ordinal);
        Assert.Contains("cycle: t1 -> t2 -> t1", repairRequest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plan_still_invalid_after_the_repair_is_refused_with_a_clear_error()
    {
        var chat = new ScriptedChatClient().Then("not json at all").Then("""{"tasks":[]}""");

        var ex = await Assert.ThrowsAsync<WorkflowPlanException>(() => new Decomposer().DecomposeAsync("x", "map", Agents, chat));

        Assert.Contains("no tasks", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("I cannot plan this request.", "the answer contains no JSON object")]
    [InlineData("{\"tasks\": [{\"id\": \"t1\", \"description\": \"a", "the answer is not valid JSON")]
    public async Task A_bad_answer_is_refused_in_the_same_words_as_the_solver_refuses_it(string answer, string reason)
    {
        var chat = new ScriptedChatClient().Then(answer).Then(answer);

        var plan = await Assert.ThrowsAsync<WorkflowPlanException>(() => new Decomposer().DecomposeAsync("x", "map", Agents, chat));
        var solve = Assert.Throws<MalformedAnswerException>(() => ModelAnswerParser.ParseOperations(answer, editOnly: false));

        Assert.StartsWith(reason, solve.Message, StringComparison.Ordinal);
        Assert.Contains(solve.Message, plan.Message, StringComparison.Ordinal);
        Assert.Contains(solve.Message, chat.Calls[1].Messages[^1].Text, StringComparison.Ordinal);
    }
}
