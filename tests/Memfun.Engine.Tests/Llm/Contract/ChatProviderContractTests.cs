using System.Text.Json;
using Memfun.Engine.Llm;
using Microsoft.Extensions.AI;

namespace Memfun.Engine.Tests.Llm.Contract;

/// <summary>
/// The contract every model provider keeps for the agents, after M.E.AI's integration tests: one abstract class, each
/// provider overriding how a turn is scripted and how its requests are read back. The client under test is the one the
/// agents get (<see cref="ChatClientFactory"/>, with retries, usage and budget), speaking to a local stand-in for the
/// provider's real wire format.
/// </summary>
public abstract class ChatProviderContractTests : IAsyncLifetime
{
    private static readonly AITool[] Tools =
    [
        AIFunctionFactory.CreateDeclaration("read_file", "Reads a file.", Schema("""{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}""")),
        AIFunctionFactory.CreateDeclaration("edit_file", "Edits a file.", Schema("""{"type":"object","properties":{"path":{"type":"string"},"old_text":{"type":"string"},"new_text":{"type":"string"}},"required":["path","old_text","new_text"]}""")),
    ];

    /// <summary>The name the provider's errors carry.</summary>
    protected abstract string ProviderName { get; }

    /// <summary>The client the agents would get for this provider.</summary>
    protected abstract IChatClient Client { get; }

    /// <summary>Every request the provider received so far, in order.</summary>
    protected abstract IReadOnlyList<SentRequest> Sent { get; }

    /// <summary>The finish reason a refusal arrives with.</summary>
    protected virtual ChatFinishReason? RefusalReason => ChatFinishReason.ContentFilter;

    /// <summary>Queues the provider's next turn.</summary>
    protected abstract void Script(ScriptedTurn turn);

    /// <summary>Queues a failure that retrying cannot mend (a bad request; a host that answers with an error).</summary>
    protected abstract void ScriptPermanentFailure();

    /// <summary>Queues a turn that never comes: the request hangs until it is cancelled.</summary>
    protected abstract void ScriptNoAnswer();

    /// <summary>Waits until the provider has received its next request.</summary>
    protected abstract Task WaitForRequestAsync(CancellationToken cancellationToken);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private static ChatOptions WithTools() => new() { Tools = [.. Tools], ToolMode = ChatToolMode.Auto };

    private static List<ChatMessage> Conversation() =>
    [
        new(ChatRole.System, "You are the coder. Change code with the tools."),
        new(ChatRole.User, "Add a sub(a, b) function to calc.py"),
    ];

    private static JsonElement Schema(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public async Task The_tools_are_declared_in_the_request()
    {
        Script(ScriptedTurn.Answer("Nothing to change."));

        var response = await Client.GetResponseAsync(Conversation(), WithTools());

        Assert.Equal("Nothing to change.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(["read_file", "edit_file"], Assert.Single(Sent).Tools);
    }

    [Fact]
    public async Task A_tool_call_arrives_with_its_arguments_and_its_result_is_sent_in_the_next_request()
    {
        Script(ScriptedTurn.ToolUse(("call_1", "edit_file", new { path = "calc.py", old_text = "", new_text = "def sub(a, b):\n    return a - b\n" })));
        Script(ScriptedTurn.Answer("Added sub."));
        var messages = Conversation();

        var first = await Client.GetResponseAsync(messages, WithTools());

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("edit_file", call.Name);
        Assert.Equal("call_1", call.CallId);
        Assert.Equal("calc.py", call.Arguments?["path"]?.ToString());
        Assert.Equal("def sub(a, b):\n    return a - b\n", call.Arguments?["new_text"]?.ToString());

        messages.AddRange(first.Messages);
        messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, "Edited calc.py (1 replacement).")]));
        var second = await Client.GetResponseAsync(messages, WithTools());

        Assert.Equal("Added sub.", second.Text);
        Assert.Equal(2, Sent.Count);
        Assert.Equal([("call_1", "Edited calc.py (1 replacement).")], Sent[1].ToolResults);
        Assert.Contains("call_1", Sent[1].EchoedCallIds);
        Assert.Equal(["read_file", "edit_file"], Sent[1].Tools);
    }

    [Fact]
    public async Task Two_tool_calls_in_one_turn_both_arrive_and_both_results_go_back_together()
    {
        Script(ScriptedTurn.ToolUse(("call_a", "read_file", new { path = "calc.py" }), ("call_b", "read_file", new { path = "README.md" })));
        Script(ScriptedTurn.Answer("Read both."));
        var messages = Conversation();

        var first = await Client.GetResponseAsync(messages, WithTools());

        var calls = first.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal([("call_a", "calc.py"), ("call_b", "README.md")], calls.Select(c => (c.CallId, c.Arguments?["path"]?.ToString())));
        messages.AddRange(first.Messages);
        messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent("call_a", "def add(a, b): ..."), new FunctionResultContent("call_b", "# calc")]));
        await Client.GetResponseAsync(messages, WithTools());

        Assert.Equal([("call_a", "def add(a, b): ..."), ("call_b", "# calc")], Sent[1].ToolResults);
    }

    [Fact]
    public async Task A_streamed_turn_delivers_the_text_and_a_whole_tool_call()
    {
        Script(new ScriptedTurn("Let me edit it.", [("call_s", "edit_file", new { path = "calc.py", old_text = "a", new_text = "b" })], TurnEnd.ToolUse));

        var response = await Client.GetStreamingResponseAsync(Conversation(), WithTools()).ToChatResponseAsync();

        Assert.Equal("Let me edit it.", response.Text);
        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal(("call_s", "edit_file", "calc.py", "b"), (call.CallId, call.Name, call.Arguments?["path"]?.ToString(), call.Arguments?["new_text"]?.ToString()));
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Fact]
    public async Task A_refusal_is_reported_as_the_providers_refusal_stop_and_calls_nothing()
    {
        Script(new ScriptedTurn("I can't help with that.", [], TurnEnd.Refusal));

        var response = await Client.GetResponseAsync(Conversation(), WithTools());

        Assert.Equal(RefusalReason, response.FinishReason);
        Assert.Empty(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
    }

    [Fact]
    public async Task A_truncated_answer_is_reported_as_a_length_stop()
    {
        Script(new ScriptedTurn("def sub(a, b):\n    return", [], TurnEnd.MaxTokens));

        var response = await Client.GetResponseAsync(Conversation(), WithTools());

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal("def sub(a, b):\n    return", response.Text);
    }

    [Fact]
    public async Task A_failure_that_retrying_cannot_mend_is_an_error_naming_the_provider_and_is_not_retried()
    {
        ScriptPermanentFailure();
        Script(ScriptedTurn.Answer("never sent"));

        var ex = await Assert.ThrowsAsync<LlmProviderException>(() => Client.GetResponseAsync(Conversation(), WithTools()));

        Assert.Contains(ProviderName, ex.Message, StringComparison.Ordinal);
        Assert.Single(Sent);
    }

    [Fact]
    public async Task A_cancelled_request_ends_at_once_with_a_cancellation()
    {
        ScriptNoAnswer();
        using var cts = new CancellationTokenSource();

        var call = Client.GetResponseAsync(Conversation(), WithTools(), cts.Token);
        await WaitForRequestAsync(CancellationToken.None);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Single(Sent);
    }
}
