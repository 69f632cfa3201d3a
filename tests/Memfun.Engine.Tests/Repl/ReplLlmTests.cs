using Memfun.Engine.Repl;
using Memfun.Engine.Tests.Infrastructure;
using Microsoft.Extensions.AI;

namespace Memfun.Engine.Tests.Repl;

public sealed class ReplLlmTests
{
    [Fact]
    public async Task Llm_query_batched_runs_its_queries_at_the_same_time()
    {
        using var barrier = new Barrier(3);
        var chat = new ScriptedChatClient();
        for (var i = 0; i < 3; i++)
        {
            chat.Then((messages, _) =>
            {
                // Only returns "together" when all three calls are inside the model at once.
                var met = barrier.SignalAndWait(TimeSpan.FromSeconds(20));
                var prompt = messages[^1].Text;
                return new ChatResponse(new ChatMessage(ChatRole.Assistant, (met ? "together:" : "alone:") + prompt[..1]));
            });
        }

        await using var host = new ReplTestHost();
        var repl = await host.StartAsync(o => o.LlmConcurrency = 4, chat);
        var r = await repl.ExecuteAsync("string.Join(\" \", llm_query_batched(new[] { \"a?\", \"b?\", \"c?\" }).OrderBy(x => x))");

        Assert.Equal("together:a together:b together:c", r.Output.Trim());
        Assert.Equal(3, chat.Calls.Count);
        Assert.True(repl.Llm.Tokens > 0);
    }

    [Fact]
    public async Task Llm_query_passes_the_context_to_the_sub_model_and_counts_its_tokens()
    {
        var chat = new ScriptedChatClient().Then((messages, _) =>
            new ChatResponse(new ChatMessage(ChatRole.Assistant, messages[^1].Text!.Contains("<context>\nblue sky", StringComparison.Ordinal) ? "blue" : "?"))
            {
                Usage = new UsageDetails { TotalTokenCount = 77 },
            });
        await using var host = new ReplTestHost();
        var repl = await host.StartAsync(chat: chat);

        var r = await repl.ExecuteAsync("llm_query(\"What colour?\", \"blue sky\")");

        Assert.Equal("blue", r.Output.Trim());
        Assert.Equal(77, r.LlmTokens);
    }

    [Fact]
    public async Task Without_a_model_llm_query_says_how_to_configure_one()
    {
        await using var host = new ReplTestHost();
        var repl = await host.StartAsync();

        var r = await repl.ExecuteAsync("llm_query(\"hi\")");

        Assert.Equal(ReplStepOutcome.Error, r.Outcome);
        Assert.Contains("No language model is available", r.Error, StringComparison.Ordinal);
    }
}
