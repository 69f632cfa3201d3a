using System.Text.Json.Nodes;

namespace Memfun.McpServer.Tests.Infrastructure.Hosts;

/// <summary>The Gemini API (<c>generateContent</c>, <c>streamGenerateContent?alt=sse</c>) as a scripted model speaks it (Gemini CLI).</summary>
internal static class GeminiWire
{
    /// <summary>
    /// Every <c>functionResponse</c> part of the conversation. Gemini CLI puts a result's text in <c>response.output</c>
    /// and a failure in <c>response.error</c>; anything else is kept as JSON.
    /// </summary>
    public static IReadOnlyList<ObservedToolResult> Results(JsonObject request) =>
        [.. Parts(request).Select(p => p["functionResponse"]).OfType<JsonObject>().Select(r =>
        {
            var response = r["response"] as JsonObject;
            var error = response?["error"];
            var text = error is not null ? WireText.Flatten(error is JsonObject e && e["message"] is not null ? e["message"] : error)
                : response?["output"] is { } output ? WireText.Flatten(output)
                : response?.ToJsonString() ?? "";
            return new ObservedToolResult(r["name"]?.GetValue<string>() ?? "?", text, error is not null);
        })];

    /// <summary>The text of the user's turns.</summary>
    public static string UserText(JsonObject request) =>
        string.Join("\n", (request["contents"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(c => c["role"]?.GetValue<string>() is null or "user")
            .SelectMany(c => (c["parts"] as JsonArray ?? []).OfType<JsonObject>())
            .Select(p => p["text"]?.GetValue<string>()).OfType<string>());

    /// <summary>A candidate holding the function call, or <paramref name="text"/>; one SSE event when streamed.</summary>
    public static (string ContentType, string Body) Reply(NextToolCall? call, string? text, bool stream)
    {
        var part = call is null
            ? new JsonObject { ["text"] = text }
            : new JsonObject { ["functionCall"] = new JsonObject { ["name"] = call.Name, ["args"] = call.Arguments.DeepClone() } };
        var response = new JsonObject
        {
            ["candidates"] = new JsonArray(new JsonObject
            {
                ["content"] = new JsonObject { ["role"] = "model", ["parts"] = new JsonArray(part) },
                ["finishReason"] = "STOP",
                ["index"] = 0,
            }),
            ["usageMetadata"] = new JsonObject { ["promptTokenCount"] = 1, ["candidatesTokenCount"] = 1, ["totalTokenCount"] = 2 },
        }.ToJsonString();
        return stream ? ("text/event-stream", "data: " + response + "\n\n") : ("application/json", response);
    }

    private static IEnumerable<JsonObject> Parts(JsonObject request) =>
        (request["contents"] as JsonArray ?? []).OfType<JsonObject>().SelectMany(c => (c["parts"] as JsonArray ?? []).OfType<JsonObject>());
}
