using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Memfun.McpServer.Tests.Infrastructure.Hosts;

/// <summary>The Anthropic Messages API as a scripted model speaks it (Claude Code): reads tool results, writes a turn.</summary>
internal static class AnthropicWire
{
    /// <summary>Every <c>tool_result</c> block of the conversation, named by the <c>tool_use</c> it answers.</summary>
    public static IReadOnlyList<ObservedToolResult> Results(JsonObject request)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var results = new List<ObservedToolResult>();
        foreach (var block in Blocks(request))
        {
            switch (block["type"]?.GetValue<string>())
            {
                case "tool_use":
                    names[block["id"]!.GetValue<string>()] = block["name"]!.GetValue<string>();
                    break;
                case "tool_result":
                    var id = block["tool_use_id"]?.GetValue<string>() ?? "";
                    results.Add(new ObservedToolResult(names.GetValueOrDefault(id, "?"), WireText.Flatten(block["content"]), block["is_error"]?.GetValue<bool>() ?? false));
                    break;
            }
        }

        return results;
    }

    /// <summary>The text of the user's messages (without tool results).</summary>
    public static string UserText(JsonObject request) =>
        string.Join("\n", (request["messages"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(m => m["role"]?.GetValue<string>() == "user")
            .Select(m => m["content"] is JsonValue v ? v.GetValue<string>() : string.Join("\n", (m["content"] as JsonArray ?? []).OfType<JsonObject>()
                .Where(b => b["type"]?.GetValue<string>() == "text").Select(b => b["text"]?.GetValue<string>() ?? ""))));

    /// <summary>The assistant turn: the tool call, or <paramref name="text"/>; as SSE when the request streams.</summary>
    public static (string ContentType, string Body) Reply(JsonObject request, NextToolCall? call, string? text)
    {
        var model = request["model"]?.GetValue<string>() ?? "claude-stub";
        var block = call is null
            ? new JsonObject { ["type"] = "text", ["text"] = text }
            : new JsonObject { ["type"] = "tool_use", ["id"] = "toolu_" + call.Id, ["name"] = call.Name, ["input"] = call.Arguments.DeepClone() };
        var stop = call is null ? "end_turn" : "tool_use";
        if (request["stream"]?.GetValue<bool>() != true)
        {
            return ("application/json", new JsonObject
            {
                ["id"] = "msg_stub", ["type"] = "message", ["role"] = "assistant", ["model"] = model,
                ["content"] = new JsonArray(block), ["stop_reason"] = stop, ["stop_sequence"] = null,
                ["usage"] = new JsonObject { ["input_tokens"] = 1, ["output_tokens"] = 1 },
            }.ToJsonString());
        }

        var start = call is null
            ? new JsonObject { ["type"] = "text", ["text"] = "" }
            : new JsonObject { ["type"] = "tool_use", ["id"] = "toolu_" + call.Id, ["name"] = call.Name, ["input"] = new JsonObject() };
        var delta = call is null
            ? new JsonObject { ["type"] = "text_delta", ["text"] = text }
            : new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = call.Arguments.ToJsonString() };
        var sse = new StringBuilder();
        Event(sse, "message_start", new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = new JsonObject
            {
                ["id"] = "msg_stub", ["type"] = "message", ["role"] = "assistant", ["model"] = model, ["content"] = new JsonArray(),
                ["stop_reason"] = null, ["stop_sequence"] = null, ["usage"] = new JsonObject { ["input_tokens"] = 1, ["output_tokens"] = 1 },
            },
        });
        Event(sse, "content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = 0, ["content_block"] = start });
        Event(sse, "content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = 0, ["delta"] = delta });
        Event(sse, "content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = 0 });
        Event(sse, "message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = stop, ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = 1 },
        });
        Event(sse, "message_stop", new JsonObject { ["type"] = "message_stop" });
        return ("text/event-stream", sse.ToString());
    }

    private static IEnumerable<JsonObject> Blocks(JsonObject request) =>
        (request["messages"] as JsonArray ?? []).OfType<JsonObject>().SelectMany(m => (m["content"] as JsonArray ?? []).OfType<JsonObject>());

    private static void Event(StringBuilder sse, string name, JsonObject data) =>
        sse.Append("event: ").Append(name).Append('\n').Append("data: ").Append(data.ToJsonString()).Append("\n\n");
}
