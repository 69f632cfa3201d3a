using System.Net;
using System.Text.Json;
using Memfun.Engine.Llm;
using Memfun.Testing;
using Microsoft.Extensions.AI;

namespace Memfun.Engine.Tests.Llm.Contract;

/// <summary>
/// The provider contract for Anthropic through its official SDK (Messages API, JSON and its event stream), plus what
/// only Anthropic has: 529 overloaded, errors inside a stream, prompt-cache breakpoints and cache usage.
/// </summary>
public sealed class AnthropicContractTests : HttpProviderContractTests
{
    protected override string ProviderName => "Anthropic";

    protected override string ProviderKey => "anthropic";

    protected override Uri BaseUrl => new($"http://127.0.0.1:{Stub.Port}");

    protected override StubModelServer.Reply Render(ScriptedTurn turn) => StubModelServer.AnthropicTurn(
        turn.Text,
        [.. turn.Calls.Select(c => new StubModelServer.ToolCall(c.Id, c.Name, c.Arguments))],
        turn.End switch { TurnEnd.MaxTokens => "max_tokens", TurnEnd.Refusal => "refusal", TurnEnd.ToolUse => "tool_use", _ => "end_turn" });

    protected override StubModelServer.Reply Error(int status, string? retryAfter = null) => StubModelServer.AnthropicError(
        status,
        status switch { 401 => "authentication_error", 429 => "rate_limit_error", 400 => "invalid_request_error", 529 => "overloaded_error", _ => "api_error" },
        $"scripted {status}",
        retryAfter);

    protected override SentRequest Read(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var tools = root.TryGetProperty("tools", out var t) ? t.EnumerateArray().Select(x => x.GetProperty("name").GetString()!).ToList() : [];
        var blocks = root.GetProperty("messages").EnumerateArray()
            .SelectMany(m => m.GetProperty("content") is { ValueKind: JsonValueKind.Array } c ? c.EnumerateArray().Select(b => (Role: m.GetProperty("role").GetString(), Block: b.Clone())) : [])
            .ToList();
        var results = blocks.Where(b => b.Block.GetProperty("type").GetString() == "tool_result")
            .Select(b => (b.Block.GetProperty("tool_use_id").GetString()!, Text(b.Block.GetProperty("content")))).ToList();
        var echoed = blocks.Where(b => b.Role == "assistant" && b.Block.GetProperty("type").GetString() == "tool_use")
            .Select(b => b.Block.GetProperty("id").GetString()!).ToList();
        return new SentRequest(tools, results, echoed);
    }

    private static string Text(JsonElement content) => content.ValueKind == JsonValueKind.String
        ? content.GetString()!
        : string.Concat(content.EnumerateArray().Select(p => p.GetProperty("text").GetString()));

    [Fact]
    public async Task An_overloaded_answer_is_retried()
    {
        Stub.Then(Error(529, retryAfter: "0"));
        Script(ScriptedTurn.Answer("back"));

        var response = await Client.GetResponseAsync("hi");

        Assert.Equal("back", response.Text);
        Assert.Equal(2, Stub.Requests.Count);
    }

    [Fact]
    public async Task An_error_event_inside_a_stream_is_an_error_with_the_status_it_stands_for()
    {
        Stub.Then(new StubModelServer.Reply(200, "{}", StreamBody:
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-stub\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n" +
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"));
        var client = Factory(maxRetries: 0).GetChatClient();

        var ex = await Assert.ThrowsAsync<LlmProviderException>(async () => await client.GetStreamingResponseAsync("hi").ToChatResponseAsync());

        Assert.Equal((HttpStatusCode)529, ex.StatusCode);
        Assert.Contains("Overloaded", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_system_prompt_and_the_newest_message_carry_cache_breakpoints_and_cache_reads_are_counted()
    {
        Stub.Then(StubModelServer.AnthropicTurn("ok", input: 10, output: 2, cacheRead: 900, cacheWrite: 100));
        var messages = new List<ChatMessage> { new(ChatRole.System, "You are the coder. Here is the code map: ..."), new(ChatRole.User, "Add sub.") };

        var response = await Client.GetResponseAsync(messages, new ChatOptions { Tools = [AIFunctionFactory.CreateDeclaration("read_file", "Reads.", JsonDocument.Parse("{\"type\":\"object\"}").RootElement)] });

        using var doc = JsonDocument.Parse(Assert.Single(Stub.Requests).Body);
        var system = doc.RootElement.GetProperty("system");
        Assert.Equal("ephemeral", system[system.GetArrayLength() - 1].GetProperty("cache_control").GetProperty("type").GetString());
        var last = doc.RootElement.GetProperty("messages")[0].GetProperty("content");
        Assert.Equal("ephemeral", last[last.GetArrayLength() - 1].GetProperty("cache_control").GetProperty("type").GetString());
        Assert.Null(messages[0].Contents[0].AdditionalProperties);
        Assert.Equal(1010, response.Usage?.InputTokenCount);
        Assert.Equal(900, response.Usage?.CachedInputTokenCount);
        Assert.Equal(2, response.Usage?.OutputTokenCount);
    }

    [Fact]
    public async Task The_key_goes_only_in_the_authorization_header_and_the_configured_model_and_output_limit_are_sent()
    {
        Script(ScriptedTurn.Answer("hi"));

        await Client.GetResponseAsync("hello");

        var (path, headers, body) = Assert.Single(Stub.Requests);
        Assert.Equal("/v1/messages", path);
        // SDK 13.15 sends the API key as a bearer token (older versions used x-api-key).
        Assert.Equal("Bearer sk-contract-secret", headers["Authorization"]);
        Assert.DoesNotContain("sk-contract-secret", body, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("stub-model", doc.RootElement.GetProperty("model").GetString());
        Assert.Equal(8192, doc.RootElement.GetProperty("max_tokens").GetInt32());
    }
}
