using System.Text.Json.Nodes;
using Memfun.Testing;

namespace Memfun.McpServer.Tests.Infrastructure.Hosts;

/// <summary>
/// A <see cref="StubModelServer"/> (real HTTP on 127.0.0.1) that plays a host's model provider from a script: Anthropic
/// Messages (<c>/v1/messages</c>, streamed as SSE or not), OpenAI Responses (<c>/v1/responses</c>, SSE) and Gemini
/// (<c>:streamGenerateContent</c>, <c>:generateContent</c>). Each request carries the whole conversation, so the
/// next step is the number of tool results in it: the answer is the next scripted tool call, or a final text once
/// the script is done. What the host showed the model for each tool is kept in <see cref="Results"/>.
/// </summary>
public sealed class ScriptedModelServer : IDisposable
{
    /// <summary>The final text the model answers once every step has run.</summary>
    public const string FinalText = "All scripted steps are done.";

    private readonly StubModelServer _server = new();
    private readonly IReadOnlyList<ScriptedToolCall> _script;
    private readonly Lock _gate = new();
    private IReadOnlyList<ObservedToolResult> _results = [];
    private readonly List<string> _requests = [];
    private string _firstUserText = "";

    public ScriptedModelServer(IReadOnlyList<ScriptedToolCall> script)
    {
        _script = script;
        _server.RespondTo = Answer;
    }

    /// <summary>The server's root URL, <c>http://127.0.0.1:port</c> (no trailing slash).</summary>
    public string BaseUrl => $"http://127.0.0.1:{_server.Port}";

    /// <summary>The tool results of the longest conversation seen, in order.</summary>
    public IReadOnlyList<ObservedToolResult> Results { get { lock (_gate) { return _results; } } }

    /// <summary>The user text of the first scripted conversation (a prompt a host expanded shows here).</summary>
    public string FirstUserText { get { lock (_gate) { return _firstUserText; } } }

    /// <summary>The path of every request, for a failure message.</summary>
    public IReadOnlyList<string> Requests { get { lock (_gate) { return [.. _requests]; } } }

    /// <summary>Whether the model was asked again after the last step's result (so it gave its final text).</summary>
    public bool Finished => Results.Count >= _script.Count;

    private StubModelServer.Reply Answer(string path, string body)
    {
        lock (_gate)
        {
            _requests.Add(path);
        }

        var (contentType, reply) = Route(path, body);
        return new StubModelServer.Reply(200, reply, ContentType: contentType);
    }

    private (string ContentType, string Body) Route(string path, string body)
    {
        var request = body.Length == 0 ? null : JsonNode.Parse(body) as JsonObject;
        if (path.EndsWith("/count_tokens", StringComparison.Ordinal))
        {
            return ("application/json", "{\"input_tokens\": 1}");
        }

        if (path.EndsWith(":countTokens", StringComparison.Ordinal))
        {
            return ("application/json", "{\"totalTokens\": 1}");
        }

        if (request is not null && path.EndsWith("/messages", StringComparison.Ordinal))
        {
            var scripted = request["tools"] is JsonArray { Count: > 0 };
            var call = scripted ? Next(AnthropicWire.Results(request), AnthropicWire.UserText(request)) : null;
            return AnthropicWire.Reply(request, call, call is null ? Reply(scripted) : null);
        }

        if (request is not null && path.EndsWith("/responses", StringComparison.Ordinal))
        {
            var call = Next(ResponsesWire.Results(request), ResponsesWire.UserText(request));
            return ResponsesWire.Reply(call, call is null ? FinalText : null);
        }

        if (request is not null && path.Contains(":streamGenerateContent", StringComparison.Ordinal))
        {
            var call = Next(GeminiWire.Results(request), GeminiWire.UserText(request));
            return GeminiWire.Reply(call, call is null ? FinalText : null, stream: true);
        }

        if (request is not null && path.Contains(":generateContent", StringComparison.Ordinal))
        {
            // A host's own side question (routing, "who speaks next"): answer in the JSON those expect.
            if (request["tools"] is JsonArray { Count: > 0 })
            {
                var call = Next(GeminiWire.Results(request), GeminiWire.UserText(request));
                return GeminiWire.Reply(call, call is null ? FinalText : null, stream: false);
            }

            return GeminiWire.Reply(null, "{\"reasoning\": \"The task is done.\", \"next_speaker\": \"user\", \"model_choice\": \"flash\"}", stream: false);
        }

        return ("application/json", "{}");
    }

    /// <summary>The text for a request that gets no tool call: the final text in the scripted conversation, "OK" elsewhere.</summary>
    private static string Reply(bool scripted) => scripted ? FinalText : "OK";

    /// <summary>Records what the conversation shows and picks the next step (null: the script is done).</summary>
    private NextToolCall? Next(IReadOnlyList<ObservedToolResult> results, string userText)
    {
        lock (_gate)
        {
            if (results.Count >= _results.Count)
            {
                _results = results;
            }

            if (_firstUserText.Length == 0)
            {
                _firstUserText = userText;
            }
        }

        if (results.Count >= _script.Count)
        {
            return null;
        }

        var step = _script[results.Count];
        return new NextToolCall(step.Name, step.Namespace, step.Arguments(results), results.Count);
    }

    public void Dispose() => _server.Dispose();
}
