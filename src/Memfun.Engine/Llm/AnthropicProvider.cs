using Anthropic;
using Anthropic.Core;
using Microsoft.Extensions.AI;

namespace Memfun.Engine.Llm;

/// <summary>
/// Builds the Anthropic chat client from the official Anthropic SDK's <see cref="IChatClient"/>: tool declarations,
/// tool_use/tool_result round trips, parallel tool calls, streaming, stop reasons and usage (cache tokens included) are
/// the SDK's; memfun adds prompt-cache breakpoints (<see cref="AnthropicPromptCachingChatClient"/>) and maps errors
/// (<see cref="AnthropicHttpErrorHandler"/>, <see cref="ProviderErrorChatClient"/>).
/// </summary>
/// <remarks>
/// The SDK's own retries are off: <see cref="RetryingChatClient"/> retries once for the whole stack, with the request's
/// budget. The key is given explicitly, so the SDK reads no credentials file, profile or <c>ANTHROPIC_*</c> variable of
/// its own; the base URL is <c>[llm] base_url</c> (a trailing <c>/v1</c> is accepted) or Anthropic's public API.
/// </remarks>
internal static class AnthropicProvider
{
    /// <summary>Anthropic's public API.</summary>
    public static readonly Uri PublicApi = new("https://api.anthropic.com");

    /// <summary>The SDK's client for <paramref name="model"/>, with caching marks and mapped errors.</summary>
    public static IChatClient Create(LlmOptions options, string model, string apiKey)
    {
        var baseUrl = BaseUrlOf(options.BaseUrl);
        var http = new HttpClient(new AnthropicHttpErrorHandler(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.All }))
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var client = new AnthropicClient(new ClientOptions
        {
            HttpClient = http,
            BaseUrl = baseUrl.ToString().TrimEnd('/'),
            ApiKey = apiKey,
            MaxRetries = 0,
            Timeout = options.RequestTimeout > TimeSpan.Zero ? options.RequestTimeout : TimeSpan.FromMinutes(10),
        });
        var chat = client.AsIChatClient(model, options.MaxTokens > 0 ? options.MaxTokens : 8192);
        return new ProviderErrorChatClient(new AnthropicPromptCachingChatClient(chat), "Anthropic", baseUrl);
    }

    /// <summary>The SDK's base URL (without <c>/v1</c>, which the SDK adds) for a configured <c>base_url</c>.</summary>
    internal static Uri BaseUrlOf(Uri? configured)
    {
        if (configured is null)
        {
            return PublicApi;
        }

        var text = configured.ToString().TrimEnd('/');
        return new Uri(text.EndsWith("/v1", StringComparison.Ordinal) ? text[..^3] : text);
    }
}
