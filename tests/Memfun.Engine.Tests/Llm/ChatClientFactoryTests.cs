using Memfun.Engine.Llm;
using Memfun.Testing;
using Microsoft.Extensions.AI;

namespace Memfun.Engine.Tests.Llm;

[Collection(EnvironmentCollection.Name)]
public sealed class ChatClientFactoryTests
{
    [Fact]
    public void Without_a_provider_and_without_sampling_the_one_clear_message_is_given()
    {
        using var factory = new ChatClientFactory(new LlmOptions());

        var ex = Assert.Throws<LlmNotConfiguredException>(() => factory.GetChatClient(null));

        Assert.Equal(LlmNotConfiguredException.DefaultMessage, ex.Message);
    }

    [Fact]
    public void OpenAi_without_a_key_or_a_base_url_says_which_variable_to_set()
    {
        using var home = new MemfunHome();
        using var factory = new ChatClientFactory(new LlmOptions { Provider = "openai", ApiKeyEnv = "MEMFUN_TEST_UNSET_KEY_VAR" });

        var ex = Assert.Throws<LlmNotConfiguredException>(() => factory.GetChatClient(null));

        Assert.Contains("MEMFUN_TEST_UNSET_KEY_VAR", ex.Message, StringComparison.Ordinal);
        Assert.Contains("memfun init", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stored_key_is_never_sent_to_an_endpoint_other_than_the_one_it_was_stored_for()
    {
        using var home = new MemfunHome();
        CredentialStore.SaveApiKey("anthropic", "sk-ant-for-the-public-api");
        using var stub = new StubModelServer();
        stub.Then(StubModelServer.AnthropicReply("should never be asked"));
        using var factory = new ChatClientFactory(new LlmOptions
        {
            Provider = "anthropic", Model = "claude-x", BaseUrl = new Uri($"http://127.0.0.1:{stub.Port}"), ApiKeyEnv = "MEMFUN_TEST_UNSET_KEY_VAR",
        });

        var ex = Assert.Throws<LlmNotConfiguredException>(() => factory.GetChatClient());

        Assert.Contains("https://api.anthropic.com", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"http://127.0.0.1:{stub.Port}", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-ant-for-the-public-api", ex.Message, StringComparison.Ordinal);
        Assert.Empty(stub.Requests);
    }

    [Fact]
    public async Task An_openai_compatible_endpoint_answering_429_is_retried_honouring_retry_after()
    {
        using var stub = new StubModelServer();
        stub.ThenStatus(429, retryAfter: "0").ThenStatus(500).ThenOpenAi("pong", promptTokens: 5, completionTokens: 1);
        using var factory = new ChatClientFactory(new LlmOptions { Provider = "openai", Model = "m", BaseUrl = stub.BaseUrl, RetryBaseDelay = TimeSpan.FromMilliseconds(1) });
        using var scope = LlmRequestScope.Begin(0, TimeSpan.Zero);

        var response = await factory.GetChatClient().GetResponseAsync("ping");

        Assert.Equal("pong", response.Text);
        Assert.Equal(3, stub.Requests.Count);
        Assert.Equal(new LlmUsage(1, 5, 1), scope.Usage);
    }
}
