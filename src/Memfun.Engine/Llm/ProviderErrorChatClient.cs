using System.ClientModel;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Anthropic.Exceptions;
using Microsoft.Extensions.AI;

namespace Memfun.Engine.Llm;

/// <summary>
/// Gives every failure of a provider SDK one shape: an <see cref="LlmProviderException"/> that names the provider, the
/// HTTP status (null when no answer came) and the server's Retry-After, which <see cref="RetryingChatClient"/> and the
/// tools' error handling understand. A body that is not the provider's format is a failure with status 200, never retried.
/// </summary>
/// <remarks>
/// Thread-safe. Cancellation passes through unchanged. A streaming call maps the errors of each step, including an
/// <c>error</c> event inside an Anthropic stream (its type gives the status: <c>overloaded_error</c> is 529).
/// </remarks>
internal sealed class ProviderErrorChatClient(IChatClient inner, string provider, Uri? endpoint) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Map(ex, cancellationToken) is { } mapped)
        {
            throw mapped;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var enumerator = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (Exception ex) when (Map(ex, cancellationToken) is { } mapped)
                {
                    throw mapped;
                }

                yield return enumerator.Current;
            }
        }
    }

    /// <summary>The exception to throw instead of <paramref name="ex"/>, or null to let it pass.</summary>
    private LlmProviderException? Map(Exception ex, CancellationToken cancellationToken)
    {
        if (ex is LlmProviderException || (ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            return null;
        }

        var where = endpoint is null ? provider : $"{provider} at {endpoint.GetLeftPart(UriPartial.Authority)}";
        return ex switch
        {
            ClientResultException { Status: 0 } c => new LlmProviderException($"{where} could not be reached: {Short(c.Message)}", null, null, c),
            ClientResultException c => new LlmProviderException(
                $"{where} answered {c.Status} {(HttpStatusCode)c.Status}: {Short(c.Message)}{Advice(c.Status)}", (HttpStatusCode)c.Status, RetryingChatClient.RetryAfterOf(c), c),
            AnthropicApiException a => new LlmProviderException(
                $"{where} answered {(int)a.StatusCode} {a.StatusCode}: {AnthropicHttpErrorHandler.Describe(a.ResponseBody).Message}", a.StatusCode, null, a),
            AnthropicSseException s => FromStreamError(where, s),
            AnthropicIOException or HttpRequestException => new LlmProviderException($"{where} could not be reached: {Short(ex.Message)}", null, null, ex),
            JsonException or AnthropicInvalidDataException =>
                new LlmProviderException($"{where} answered with a body that is not a valid {provider} response: {Short(ex.Message)}", HttpStatusCode.OK, null, ex),
            _ => null,
        };
    }

    private static LlmProviderException FromStreamError(string where, AnthropicSseException s)
    {
        // The SDK's message ends with the event's data: {"type":"error","error":{"type":"overloaded_error",…}}.
        var start = s.Message.IndexOf('{', StringComparison.Ordinal);
        var end = s.Message.LastIndexOf('}');
        var (type, message) = start >= 0 && end > start ? AnthropicHttpErrorHandler.Describe(s.Message[start..(end + 1)]) : (null, s.Message);
        return new LlmProviderException($"{where} sent an error in its stream ({type ?? "unknown"}): {message}", AnthropicHttpErrorHandler.StatusOf(type), null, s);
    }

    private static string Advice(int status) => status is 401 or 403
        ? ". Check the key (the variable [llm] api_key_env names, or 'memfun init')"
        : string.Empty;

    private static string Short(string s) => s.Length > 300 ? s[..300] + "…" : s;
}
