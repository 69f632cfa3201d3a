using System.Net;
using Memfun.Engine.Llm;
using Memfun.Engine.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace Memfun.Engine.Tests.Llm;

public sealed class RetryingChatClientTests
{
    private static ChatResponse Throw(HttpStatusCode status, TimeSpan? retryAfter = null) =>
        throw new LlmProviderException($"scripted {(int)status}", status, retryAfter);

    [Fact]
    public async Task A_429_and_a_503_are_retried_until_the_answer_comes()
    {
        var model = new ScriptedChatClient()
            .Then((_, _) => Throw(HttpStatusCode.TooManyRequests, TimeSpan.Zero))
            .Then((_, _) => Throw(HttpStatusCode.ServiceUnavailable))
            .Then("done");
        using var client = new RetryingChatClient(model, maxRetries: 3, TimeSpan.FromMilliseconds(1), NullLogger.Instance);

        var response = await client.GetResponseAsync("hi");

        Assert.Equal("done", response.Text);
        Assert.Equal(3, model.Calls.Count);
    }

    [Fact]
    public async Task A_400_is_not_retried()
    {
        var model = new ScriptedChatClient().Then((_, _) => Throw(HttpStatusCode.BadRequest)).Then("never");
        using var client = new RetryingChatClient(model, maxRetries: 3, TimeSpan.FromMilliseconds(1), NullLogger.Instance);

        await Assert.ThrowsAsync<LlmProviderException>(() => client.GetResponseAsync("hi"));

        Assert.Single(model.Calls);
    }

    [Fact]
    public async Task When_the_retries_run_out_the_error_names_the_status_and_the_attempts()
    {
        var model = new ScriptedChatClient();
        for (var i = 0; i < 3; i++)
        {
            model.Then((_, _) => Throw(HttpStatusCode.BadGateway));
        }

        using var client = new RetryingChatClient(model, maxRetries: 2, TimeSpan.FromMilliseconds(1), NullLogger.Instance);

        var ex = await Assert.ThrowsAsync<LlmProviderException>(() => client.GetResponseAsync("hi"));

        Assert.Contains("HTTP 502 BadGateway after 3 attempt(s)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Retry_after_wins_over_backoff_and_backoff_grows_with_jitter()
    {
        using var client = new RetryingChatClient(new ScriptedChatClient(), 3, TimeSpan.FromMilliseconds(100), NullLogger.Instance);

        Assert.Equal(TimeSpan.FromSeconds(7), client.DelayFor(TimeSpan.FromSeconds(7), attempt: 0));
        var third = client.DelayFor(null, attempt: 2);
        Assert.InRange(third.TotalMilliseconds, 200, 400);
        Assert.Equal(TimeSpan.FromSeconds(2), RetryingChatClient.ParseRetryAfter("2"));
    }

    [Fact]
    public async Task Cancellation_stops_the_wait_between_retries()
    {
        var model = new ScriptedChatClient().Then((_, _) => Throw(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(30))).Then("late");
        using var client = new RetryingChatClient(model, 3, TimeSpan.FromMilliseconds(1), NullLogger.Instance);
        using var cts = new CancellationTokenSource();
        var call = client.GetResponseAsync("hi", cancellationToken: cts.Token);
        while (model.Calls.Count == 0)
        {
            await Task.Delay(10);
        }

        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        Assert.Single(model.Calls);
    }
}
