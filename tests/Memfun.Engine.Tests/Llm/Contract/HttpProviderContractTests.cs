using System.Net;
using Memfun.Engine.Llm;
using Memfun.Testing;
using Microsoft.Extensions.AI;

namespace Memfun.Engine.Tests.Llm.Contract;

/// <summary>
/// The contract cases of a provider reached over HTTP, on top of the common ones: authentication, rate limits with
/// Retry-After, server errors and a body that is not the provider's format. Each runs against a loopback
/// <see cref="StubModelServer"/> speaking the provider's wire format.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public abstract class HttpProviderContractTests : ChatProviderContractTests, IDisposable
{
    private const string KeyVariable = "MEMFUN_TEST_CONTRACT_KEY";
    private ChatClientFactory? _factory;

    protected HttpProviderContractTests()
    {
        Environment.SetEnvironmentVariable(KeyVariable, "sk-contract-secret");
    }

    protected StubModelServer Stub { get; } = new();

    /// <summary>The <c>[llm] provider</c> value.</summary>
    protected abstract string ProviderKey { get; }

    /// <summary>The <c>[llm] base_url</c> that points at the stub.</summary>
    protected abstract Uri BaseUrl { get; }

    /// <summary>Reads one recorded request body.</summary>
    protected abstract SentRequest Read(string body);

    /// <summary>The provider's answer for <paramref name="turn"/>.</summary>
    protected abstract StubModelServer.Reply Render(ScriptedTurn turn);

    /// <summary>The provider's error answer for <paramref name="status"/>.</summary>
    protected abstract StubModelServer.Reply Error(int status, string? retryAfter = null);

    protected override IChatClient Client => Factory(maxRetries: 2).GetChatClient();

    protected override IReadOnlyList<SentRequest> Sent => [.. Stub.Requests.Select(r => Read(r.Body))];

    protected override void Script(ScriptedTurn turn) => Stub.Then(Render(turn));

    protected override void ScriptPermanentFailure() => Stub.Then(Error(400));

    protected override void ScriptNoAnswer() => Stub.Then(Render(ScriptedTurn.Answer("too late")) with { Delay = TimeSpan.FromMinutes(10) });

    protected override Task WaitForRequestAsync(CancellationToken cancellationToken) => Stub.Arrived.WaitAsync(cancellationToken);

    private protected ChatClientFactory Factory(int maxRetries) => _factory ??= new ChatClientFactory(new LlmOptions
    {
        Provider = ProviderKey,
        Model = "stub-model",
        BaseUrl = BaseUrl,
        ApiKeyEnv = KeyVariable,
        MaxRetries = maxRetries,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
    });

    public void Dispose()
    {
        _factory?.Dispose();
        Stub.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_rejected_key_is_an_error_naming_the_provider_and_the_status_and_is_not_retried()
    {
        Stub.Then(Error(401));

        var ex = await Assert.ThrowsAsync<LlmProviderException>(() => Client.GetResponseAsync("hi"));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Contains(ProviderName, ex.Message, StringComparison.Ordinal);
        Assert.Contains("401", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-contract-secret", ex.Message, StringComparison.Ordinal);
        Assert.Single(Stub.Requests);
    }

    [Fact]
    public async Task A_rate_limit_carries_the_servers_retry_after_to_the_retry_policy()
    {
        Stub.Then(Error(429, retryAfter: "7"));
        var client = Factory(maxRetries: 0).GetChatClient();

        var ex = await Assert.ThrowsAsync<LlmProviderException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(HttpStatusCode.TooManyRequests, ex.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), ex.RetryAfter);
        Assert.Contains(ProviderName, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rate_limit_then_a_server_error_are_retried_and_the_answer_arrives()
    {
        Stub.Then(Error(429, retryAfter: "0")).Then(Error(503));
        Script(ScriptedTurn.Answer("pong"));

        var response = await Client.GetResponseAsync("ping");

        Assert.Equal("pong", response.Text);
        Assert.Equal(3, Stub.Requests.Count);
    }

    [Fact]
    public async Task Server_errors_past_the_retries_are_an_error_naming_the_status_and_the_attempts()
    {
        Stub.Then(Error(500)).Then(Error(500)).Then(Error(500));

        var ex = await Assert.ThrowsAsync<LlmProviderException>(() => Client.GetResponseAsync("hi"));

        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.Contains("after 3 attempt(s)", ex.Message, StringComparison.Ordinal);
        Assert.Contains(ProviderName, ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, Stub.Requests.Count);
    }

    [Fact]
    public async Task A_body_that_is_not_the_providers_format_is_an_error_naming_the_provider_and_is_not_retried()
    {
        Stub.Then(new StubModelServer.Reply(200, "<html>gateway says hello</html>"));

        var ex = await Assert.ThrowsAsync<LlmProviderException>(() => Client.GetResponseAsync("hi"));

        Assert.Contains(ProviderName, ex.Message, StringComparison.Ordinal);
        Assert.Single(Stub.Requests);
    }
}
