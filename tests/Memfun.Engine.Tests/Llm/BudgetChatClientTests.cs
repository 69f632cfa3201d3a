using System.Runtime.CompilerServices;
using Memfun.Engine.Llm;
using Memfun.Engine.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace Memfun.Engine.Tests.Llm;

public sealed class BudgetChatClientTests
{
    [Fact]
    public async Task Usage_is_counted_per_call_and_per_request()
    {
        var model = new ScriptedChatClient().Then("a", 10, 5).Then("b", 30, 7);
        using var client = new BudgetChatClient(new UsageAccountingChatClient(model, NullLogger.Instance));
        using var scope = LlmRequestScope.Begin(1000, TimeSpan.FromMinutes(1));

        await client.GetResponseAsync("one");
        await client.GetResponseAsync("two");

        Assert.Equal(new LlmUsage(2, 40, 12), scope.Usage);
        Assert.Equal(52, scope.Usage.TotalTokens);
        Assert.Equal([new LlmUsage(1, 10, 5), new LlmUsage(1, 30, 7)], scope.Calls);
    }

    [Fact]
    public async Task A_call_that_pushes_the_request_over_its_token_budget_fails_and_the_next_is_refused()
    {
        var model = new ScriptedChatClient().Then("a", 60, 50).Then("b");
        using var client = new BudgetChatClient(new UsageAccountingChatClient(model, NullLogger.Instance));
        using var scope = LlmRequestScope.Begin(100, TimeSpan.Zero);

        var first = await Assert.ThrowsAsync<LlmBudgetExceededException>(() => client.GetResponseAsync("one"));
        var second = await Assert.ThrowsAsync<LlmBudgetExceededException>(() => client.GetResponseAsync("two"));

        Assert.Contains("used 110 tokens", first.Message, StringComparison.Ordinal);
        Assert.Contains("budget of 100 tokens", second.Message, StringComparison.Ordinal);
        Assert.Single(model.Calls);
    }

    [Fact]
    public async Task A_call_still_running_when_the_time_budget_ends_is_cancelled_with_a_clear_error()
    {
        using var client = new BudgetChatClient(new SlowChatClient());
        using var scope = LlmRequestScope.Begin(0, TimeSpan.FromMilliseconds(200));

        var ex = await Assert.ThrowsAsync<LlmBudgetExceededException>(() => client.GetResponseAsync("slow"));

        Assert.Contains("time budget of 0.2 s", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callers_cancellation_is_honoured_mid_call_and_is_not_a_budget_error()
    {
        using var client = new BudgetChatClient(new SlowChatClient());
        using var scope = LlmRequestScope.Begin(0, TimeSpan.FromMinutes(5));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync("slow", cancellationToken: cts.Token));
    }

    /// <summary>A model that takes a minute unless cancelled.</summary>
    private sealed class SlowChatClient : IChatClient
    {
        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            await Task.Delay(TimeSpan.FromMinutes(1), cancellationToken);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "late"));
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Delay(TimeSpan.FromMinutes(1), cancellationToken);
            yield break;
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
