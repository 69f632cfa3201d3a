using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Memfun.Engine.Llm;

/// <summary>
/// An <see cref="IChatClient"/> over Anthropic's Messages API (<c>POST /v1/messages</c>), text only.
/// </summary>
/// <remarks>
/// Thread-safe. Written over <see cref="HttpClient"/> rather than the Anthropic SDK's adapter so the
/// errors (status, Retry-After) reach <see cref="RetryingChatClient"/> unchanged. System messages become
/// the <c>system</c> field; consecutive messages of one role are merged, as the API requires. Streaming
/// is served from one complete answer. The key is sent only in the <c>x-api-key</c> header.
/// </remarks>
internal sealed class AnthropicChatClient : IChatClient
{
    private const string ApiVersion = "2023-06-01";
    private readonly HttpClient _http;
    private readonly Uri _messages;
    private readonly string _model;
    private readonly string _apiKey;

    public AnthropicChatClient(HttpClient http, Uri? baseUrl, string model, string apiKey)
    {
        _http = http;
        var root = (baseUrl ?? new Uri("https://api.anthropic.com/")).ToString().TrimEnd('/');
        _messages = new Uri(root.EndsWith("/v1", StringComparison.Ordinal) ? root + "/messages" : root + "/v1/messages");
        _model = model;
        _apiKey = apiKey;
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var body = BuildBody(messages, options);
        using var request = new HttpRequestMessage(HttpMethod.Post, _messages)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", _apiKey);
        request.Headers.Add("anthropic-version", ApiVersion);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new LlmProviderException($"Anthropic could not be reached at {_messages.GetLeftPart(UriPartial.Authority)}: {ex.Message}", null, null, ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var retryAfter = response.Headers.RetryAfter is { } ra
                    ? ra.Delta ?? (ra.Date is { } d ? d - DateTimeOffset.UtcNow : null)
                    : null;
                throw new LlmProviderException($"Anthropic answered {(int)response.StatusCode} {response.StatusCode}: {ErrorMessage(text)}", response.StatusCode, retryAfter);
            }

            return Parse(text);
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("anthropic", _messages, _model)
        : null;

    public void Dispose()
    {
    }

    private JsonObject BuildBody(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var system = new StringBuilder();
        var turns = new JsonArray();
        string? lastRole = null;
        StringBuilder? current = null;
        foreach (var m in messages)
        {
            if (m.Role == ChatRole.System)
            {
                system.AppendLine(m.Text);
                continue;
            }

            var role = m.Role == ChatRole.Assistant ? "assistant" : "user";
            if (role != lastRole)
            {
                Flush();
                current = new StringBuilder();
                lastRole = role;
            }
            else
            {
                current!.AppendLine();
            }

            current!.Append(m.Text);
        }

        Flush();
        var body = new JsonObject
        {
            ["model"] = options?.ModelId ?? _model,
            ["max_tokens"] = options?.MaxOutputTokens ?? 8192,
            ["messages"] = turns,
        };
        if (system.Length > 0)
        {
            body["system"] = system.ToString().TrimEnd();
        }

        if (options?.Temperature is { } t)
        {
            body["temperature"] = t;
        }

        if (options?.StopSequences is { Count: > 0 } stops)
        {
            body["stop_sequences"] = new JsonArray([.. stops.Select(s => (JsonNode)s)]);
        }

        return body;

        void Flush()
        {
            if (lastRole is not null && current is not null)
            {
                turns.Add(new JsonObject { ["role"] = lastRole, ["content"] = current.ToString() });
            }
        }
    }

    private ChatResponse Parse(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new LlmProviderException($"Anthropic answered with text that is not JSON: {ex.Message}", ex);
        }

        var text = new StringBuilder();
        foreach (var block in root?["content"]?.AsArray() ?? [])
        {
            if (block?["type"]?.GetValue<string>() == "text")
            {
                text.Append(block["text"]?.GetValue<string>());
            }
        }

        var stop = root?["stop_reason"]?.GetValue<string>();
        var input = root?["usage"]?["input_tokens"]?.GetValue<long>() ?? 0;
        var output = root?["usage"]?["output_tokens"]?.GetValue<long>() ?? 0;
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text.ToString()))
        {
            ModelId = root?["model"]?.GetValue<string>() ?? _model,
            ResponseId = root?["id"]?.GetValue<string>(),
            FinishReason = stop switch
            {
                "max_tokens" => ChatFinishReason.Length,
                "tool_use" => ChatFinishReason.ToolCalls,
                "refusal" => ChatFinishReason.ContentFilter,
                _ => ChatFinishReason.Stop,
            },
            Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output },
        };
    }

    private static string ErrorMessage(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["error"]?["message"]?.GetValue<string>() ?? Short(body);
        }
        catch (JsonException)
        {
            return Short(body);
        }
    }

    private static string Short(string s) => s.Length > 300 ? s[..300] + "…" : s;
}
