using System.Text.Json;
using System.Text.Json.Serialization;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Mcp;

/// <summary>
/// The one rule for every tool's structured result: it is serialized with <see cref="Json"/>, the options the
/// output schemas are generated with, so it matches the schema the tool advertises by construction.
/// </summary>
/// <remarks>
/// The schemas mark every property of a result record required and give a nullable one the type
/// <c>["…", "null"]</c>; the SDK's default options leave a null property out (<c>WhenWritingNull</c>), which a client
/// that validates (the TypeScript SDK: Claude Code, Cursor, VS Code, the Inspector) rejects. Here a null is written
/// as <c>null</c>, and the names are the schema's (camelCase). The text content carries the same information for
/// people; the structured content carries everything the text does, since many hosts show their model only that.
/// </remarks>
internal static class ToolResults
{
    /// <summary>The serializer options of every structured result and of every output schema: the SDK's, with nulls written.</summary>
    public static JsonSerializerOptions Json { get; } = Create();

    /// <summary>A result whose text is <paramref name="text"/> and whose structured content is <paramref name="value"/>.</summary>
    public static CallToolResult Structured<T>(string text, T value, bool? isError = null) => new()
    {
        Content = [new TextContentBlock { Text = text }],
        StructuredContent = JsonSerializer.SerializeToElement(value, Json),
        IsError = isError,
    };

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(McpJsonUtilities.DefaultOptions) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };
        options.MakeReadOnly();
        return options;
    }
}
