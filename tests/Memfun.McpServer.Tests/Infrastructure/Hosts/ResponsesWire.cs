using System.Text;
using System.Text.Json.Nodes;

namespace Memfun.McpServer.Tests.Infrastructure.Hosts;

/// <summary>The OpenAI Responses API as a scripted model speaks it (Codex CLI's <c>wire_api = "responses"</c>), streamed as SSE.</summary>
internal static class ResponsesWire
{
    /// <summary>Every <c>function_call_output</c> item of the input, named by the <c>function_call</c> it answers.</summary>
    /// <remarks>The format has no error mark on an output, so <see cref="ObservedToolResult.IsError"/> is null.</remarks>
    public static IReadOnlyList<ObservedToolResult> Results(JsonObject request)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var results = new List<ObservedToolResult>();
        foreach (var item in (request["input"] as JsonArray ?? []).OfType<JsonObject>())
        {
            switch (item["type"]?.GetValue<string>())
            {
                case "function_call":
                    names[item["call_id"]!.GetValue<string>()] = item["name"]!.GetValue<string>();
                    break;
                case "function_call_output":
                    var id = item["call_id"]?.GetValue<string>() ?? "";
                    results.Add(new ObservedToolResult(names.GetValueOrDefault(id, "?"), WireText.Flatten(item["output"]), null));
                    break;
            }
        }

        return results;
    }

    /// <summary>The text of the user's messages.</summary>
    public static string UserText(JsonObject request) =>
        string.Join("\n", (request["input"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(i => i["type"]?.GetValue<string>() == "message" && i["role"]?.GetValue<string>() == "user")
            .Select(i => WireText.Flatten(i["content"])));

    /// <summary>A response holding the function call, or a message with <paramref name="text"/>.</summary>
    public static (string ContentType, string Body) Reply(NextToolCall? call, string? text)
    {
        JsonObject item;
        if (call is null)
        {
            item = new JsonObject
            {
                ["type"] = "message", ["id"] = "msg_stub", ["role"] = "assistant", ["status"] = "completed",
                ["content"] = new JsonArray(new JsonObject { ["type"] = "output_text", ["text"] = text, ["annotations"] = new JsonArray() }),
            };
        }
        else
        {
            item = new JsonObject
            {
                ["type"] = "function_call", ["id"] = "fc_" + call.Id, ["call_id"] = call.Id, ["name"] = call.Name,
                ["arguments"] = call.Arguments.ToJsonString(), ["status"] = "completed",
            };
            if (call.Namespace is not null)
            {
                item["namespace"] = call.Namespace;
            }
        }

        var sse = new StringBuilder();
        Event(sse, new JsonObject { ["type"] = "response.created", ["response"] = new JsonObject { ["id"] = "resp_stub" } });
        Event(sse, new JsonObject { ["type"] = "response.output_item.done", ["output_index"] = 0, ["item"] = item });
        Event(sse, new JsonObject
        {
            ["type"] = "response.completed",
            ["response"] = new JsonObject
            {
                ["id"] = "resp_stub",
                ["usage"] = new JsonObject
                {
                    ["input_tokens"] = 1, ["input_tokens_details"] = null, ["output_tokens"] = 1, ["output_tokens_details"] = null, ["total_tokens"] = 2,
                },
            },
        });
        return ("text/event-stream", sse.ToString());
    }

    private static void Event(StringBuilder sse, JsonObject data) =>
        sse.Append("event: ").Append(data["type"]!.GetValue<string>()).Append('\n').Append("data: ").Append(data.ToJsonString()).Append("\n\n");
}
