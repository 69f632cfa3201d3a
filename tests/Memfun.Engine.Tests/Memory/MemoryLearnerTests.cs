using Memfun.Engine.Memory;
using Memfun.Engine.Tests.Infrastructure;
using Microsoft.Extensions.AI;

namespace Memfun.Engine.Tests.Memory;

public sealed class MemoryLearnerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("memfun-learn-").FullName;
    private readonly MemoryService _memory;

    public MemoryLearnerTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "ws"));
        _memory = new MemoryService(new MemoryOptions { WorkspaceRoot = Path.Combine(_root, "ws"), UserDirectory = Path.Combine(_root, "home") }, TimeProvider.System);
    }

    public void Dispose()
    {
        _memory.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Facts_the_model_extracts_are_stored_with_scope_and_tags_after_one_json_call()
    {
        var model = new ScriptedChatClient().Then("""
            ```json
            {"memories":[
              {"text":"Integration tests need the NATS server started with -js.","scope":"project","tags":["testing","nats"]},
              {"text":"The user wants answers in British English.","scope":"user","tags":["style"]}
            ]}
            ```
            """);
        var learner = new MemoryLearner(_memory);

        var learned = await learner.LearnAsync("Fix the flaky NATS test", "Started nats-server with -js; tests pass.", model);

        Assert.Equal(2, learned.Count);
        Assert.All(learned, l => Assert.False(l.Duplicate));
        Assert.Equal(MemoryScope.User, learned[1].Entry.Scope);
        Assert.Equal("learned", learned[0].Entry.Source);
        var call = Assert.Single(model.Calls);
        Assert.Equal(ChatResponseFormat.Json, call.Options!.ResponseFormat);
        Assert.Contains("Fix the flaky NATS test", call.Messages[^1].Text);
        Assert.Contains("## Project: nats, testing\n\n- Integration tests need the NATS server started with -js.", File.ReadAllText(Path.Combine(_root, "ws", "MEMORY.md")));
    }

    [Fact]
    public async Task A_near_duplicate_of_a_stored_fact_is_not_stored_again()
    {
        await _memory.RememberAsync("Run database migrations with make migrate before starting the API.");
        var model = new ScriptedChatClient().Then("""{"memories":[{"text":"Run the database migrations with `make migrate` before starting the API","scope":"project"}]}""");

        var learned = await new MemoryLearner(_memory).LearnAsync("start the api", "ran make migrate first", model);

        Assert.True(Assert.Single(learned).Duplicate);
        Assert.Equal(1, _memory.Count());
    }

    [Fact]
    public async Task An_answer_that_is_not_the_expected_json_stores_nothing()
    {
        var model = new ScriptedChatClient().Then("I think the project uses Maven.").Then("""{"memories": "none"}""");
        var learner = new MemoryLearner(_memory);
        Assert.Empty(await learner.LearnAsync("a", "b", model));
        Assert.Empty(await learner.LearnAsync("a", "b", model));
        Assert.Equal(0, _memory.Count());
    }

    [Fact]
    public async Task Without_a_model_learning_is_skipped()
    {
        var learner = new MemoryLearner(_memory, chatClients: null);
        Assert.Empty(await learner.LearnAsync("request", "outcome"));
    }

    [Fact]
    public async Task Before_a_request_the_relevant_memories_come_back_as_a_high_priority_block()
    {
        // Memories that are only in the store (not in MEMORY.md) come back through recall.
        var store = _memory.Store(MemoryScope.Project);
        store.AddMany([("Use the Result<T> type instead of exceptions in the billing service.", []), ("Logs go to Seq at http://seq.internal.", [])], "import", DateTimeOffset.UtcNow);

        var block = await new MemoryLearner(_memory).PrepareAsync("add error handling to the billing service");

        Assert.StartsWith("<memory priority=\"high\">", block);
        Assert.Contains("## Recalled for this task\n- Use the Result<T> type instead of exceptions in the billing service.", block.Replace("\r\n", "\n", StringComparison.Ordinal));
    }
}
