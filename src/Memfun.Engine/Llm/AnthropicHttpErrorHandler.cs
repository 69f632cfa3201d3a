using System.Net;
using System.Text.Json;

namespace Memfun.Engine.Llm;

/// <summary>
/// Turns an Anthropic error answer into an <see cref="LlmProviderException"/> that keeps what the Anthropic SDK's
/// own exceptions drop: the Retry-After (or retry-after-ms) header and the error's type, so 429 and 529 (overloaded)
/// reach <see cref="RetryingChatClient"/> with the server's delay.
/// </summary>
/// <remarks>
/// Sits under the SDK's <see cref="HttpClient"/>; the SDK's retries are off (<c>MaxRetries = 0</c>), so each error
/// answer passes here exactly once. Successful answers pass untouched. The request (and its key) is never logged.
/// </remarks>
internal sealed class AnthropicHttpErrorHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new LlmProviderException($"Anthropic could not be reached at {request.RequestUri?.GetLeftPart(UriPartial.Authority)}: {ex.Message}", null, null, ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var (type, message) = Describe(body);
            throw new LlmProviderException(
                $"Anthropic answered {(int)response.StatusCode} {(type ?? response.StatusCode.ToString())}: {message}{Advice(response.StatusCode)}",
                response.StatusCode,
                RetryAfter(response));
        }
    }

    /// <summary>The error's type and message from an Anthropic error body (<c>{"type":"error","error":{"type":…,"message":…}}</c>).</summary>
    internal static (string? Type, string Message) Describe(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                var type = error.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                return (type, message ?? Short(body));
            }
        }
        catch (JsonException)
        {
        }

        return (null, Short(body));
    }

    /// <summary>The HTTP status an Anthropic error type stands for, for an error that arrives inside a stream.</summary>
    internal static HttpStatusCode? StatusOf(string? errorType) => errorType switch
    {
        "overloaded_error" => (HttpStatusCode)529,
        "rate_limit_error" => HttpStatusCode.TooManyRequests,
        "api_error" => HttpStatusCode.InternalServerError,
        "timeout_error" => HttpStatusCode.GatewayTimeout,
        "authentication_error" => HttpStatusCode.Unauthorized,
        "permission_error" => HttpStatusCode.Forbidden,
        "invalid_request_error" => HttpStatusCode.BadRequest,
        "request_too_large" => HttpStatusCode.RequestEntityTooLarge,
        "not_found_error" => HttpStatusCode.NotFound,
        _ => null,
    };

    private static string Advice(HttpStatusCode status) => (int)status switch
    {
        401 or 403 => ". Check the key: ANTHROPIC_API_KEY (or the variable [llm] api_key_env names), or run 'memfun init' to store one",
        404 => ". Check [llm] model and [llm] base_url",
        _ => string.Empty,
    };

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("retry-after-ms", out var ms) &&
            double.TryParse(ms.FirstOrDefault(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var m))
        {
            return TimeSpan.FromMilliseconds(Math.Max(0, m));
        }

        if (response.Headers.RetryAfter is { } ra)
        {
            return ra.Delta ?? (ra.Date is { } d ? d - DateTimeOffset.UtcNow : null);
        }

        return response.Headers.TryGetValues("Retry-After", out var raw) ? RetryingChatClient.ParseRetryAfter(raw.FirstOrDefault()) : null;
    }

    private static string Short(string s) => s.Length > 300 ? s[..300] + "…" : s;
}
