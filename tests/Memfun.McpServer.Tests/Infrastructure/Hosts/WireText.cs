using System.Text.Json.Nodes;

namespace Memfun.McpServer.Tests.Infrastructure.Hosts;

/// <summary>The text a model reads from a tool result's content, whatever shape a wire format gives it.</summary>
internal static class WireText
{
    /// <summary>A string as is; a list of blocks joined by newlines, each block's <c>text</c> or, without one, its JSON.</summary>
    public static string Flatten(JsonNode? content) => content switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonArray a => string.Join("\n", a.Select(Flatten)),
        JsonObject o when o["text"] is JsonValue t && t.TryGetValue<string>(out var s) => s,
        _ => content.ToJsonString(),
    };
}
