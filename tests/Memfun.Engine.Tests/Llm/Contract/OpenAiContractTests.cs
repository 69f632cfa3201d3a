using System.Text.Json;
using Memfun.Testing;

namespace Memfun.Engine.Tests.Llm.Contract;

/// <summary>The provider contract for an OpenAI-compatible endpoint (chat completions, JSON and SSE).</summary>
public sealed class OpenAiContractTests : HttpProviderContractTests
{
    protected override string ProviderName => "OpenAI-compatible endpoint";

    protected override string ProviderKey => "openai";

    protected override Uri BaseUrl => Stub.BaseUrl;

    protected override StubModelServer.Reply Render(ScriptedTurn turn) => StubModelServer.OpenAiTurn(
        turn.End == TurnEnd.Refusal ? null : turn.Text,
        [.. turn.Calls.Select(c => new StubModelServer.ToolCall(c.Id, c.Name, c.Arguments))],
        turn.End switch { TurnEnd.MaxTokens => "length", TurnEnd.Refusal => "content_filter", TurnEnd.ToolUse => "tool_calls", _ => "stop" },
        refusal: turn.End == TurnEnd.Refusal ? turn.Text : null);

    protected override StubModelServer.Reply Error(int status, string? retryAfter = null) => new(
        status,
        JsonSerializer.Serialize(new { error = new { message = $"scripted {status}", type = status == 429 ? "rate_limit_exceeded" : "server_error", code = (string?)null } }),
        retryAfter is null ? null : new Dictionary<string, string> { ["Retry-After"] = retryAfter });

    protected override SentRequest Read(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var tools = root.TryGetProperty("tools", out var t) ? t.EnumerateArray().Select(x => x.GetProperty("function").GetProperty("name").GetString()!).ToList() : [];
        var messages = root.GetProperty("messages").EnumerateArray().ToList();
        var results = messages.Where(m => m.GetProperty("role").GetString() == "tool")
            .Select(m => (m.GetProperty("tool_call_id").GetString()!, Text(m.GetProperty("content")))).ToList();
        var echoed = messages.Where(m => m.GetProperty("role").GetString() == "assistant" && m.TryGetProperty("tool_calls", out _))
            .SelectMany(m => m.GetProperty("tool_calls").EnumerateArray().Select(c => c.GetProperty("id").GetString()!)).ToList();
        return new SentRequest(tools, results, echoed);
    }

    private static string Text(JsonElement content) => content.ValueKind == JsonValueKind.String
        ? content.GetString()!
        : string.Concat(content.EnumerateArray().Select(p => p.GetProperty("text").GetString()));
}
