using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Hosting;

/// <summary>
/// Makes a tool's schemas smaller without changing what they accept, because every character of <c>tools/list</c>
/// sits in the context of the host's model: the input schema loses <c>"default": null</c> (an absent optional
/// argument already means null), and the output schema keeps its top level (each property's type, enum and
/// whether it is required) while a nested object or an array is declared by its type only. The annotations lose
/// their copy of the title (the top-level <c>title</c> has carried it since the 2025-06-18 revision).
/// </summary>
/// <remarks>
/// The output schema stays true for every result (it only says less about nested values), so a client that
/// validates structured content against it (the TypeScript SDK does) accepts exactly what it accepted before;
/// the nested fields are described in the text result, which carries the same content.
/// </remarks>
internal static class ToolSchemaCompaction
{
    /// <summary>Compacts <paramref name="tool"/>'s advertised schemas in place and returns it.</summary>
    public static McpServerTool Compact(McpServerTool tool)
    {
        var declared = tool.ProtocolTool;
        declared.InputSchema = WithoutNullDefaults(declared.InputSchema);
        if (declared.Annotations is { } annotations && declared.Title is not null)
        {
            annotations.Title = null;
        }

        if (declared.OutputSchema is { } output)
        {
            if (tool.Metadata.OfType<Mcp.OutputShapeAttribute>().FirstOrDefault() is { } shape)
            {
                output = Select(output, [.. shape.Properties]);
            }

            declared.OutputSchema = Shallow(output);
        }

        return tool;
    }

    /// <summary>The input schema without <c>"default": null</c> on its properties.</summary>
    internal static JsonElement WithoutNullDefaults(JsonElement schema)
    {
        if (JsonNode.Parse(schema.GetRawText()) is not JsonObject root || root["properties"] is not JsonObject properties)
        {
            return schema;
        }

        var changed = false;
        foreach (var (_, property) in properties)
        {
            if (property is JsonObject p && p.TryGetPropertyValue("default", out var value) && value is null)
            {
                p.Remove("default");
                changed = true;
            }
        }

        return changed ? JsonSerializer.SerializeToElement(root) : schema;
    }

    /// <summary>The output schema with its top level kept and nested objects reduced to their type.</summary>
    internal static JsonElement Shallow(JsonElement schema)
    {
        if (JsonNode.Parse(schema.GetRawText()) is not JsonObject root || root["properties"] is not JsonObject properties)
        {
            return schema;
        }

        foreach (var (_, property) in properties)
        {
            if (property is JsonObject p)
            {
                Reduce(p);
            }
        }

        return JsonSerializer.SerializeToElement(root);
    }

    private static void Reduce(JsonObject property)
    {
        property.Remove("properties");
        property.Remove("required");
        property.Remove("additionalProperties");
        property.Remove("default");
        property.Remove("items");
    }

    /// <summary>
    /// The output schema reduced to the properties named (in their order), with <c>required</c> kept for those: one
    /// compact shape for a result whose other properties a client does not need declared (they are still returned,
    /// and a JSON Schema object accepts properties it does not list).
    /// </summary>
    internal static JsonElement Select(JsonElement schema, params string[] names)
    {
        if (JsonNode.Parse(schema.GetRawText()) is not JsonObject root || root["properties"] is not JsonObject properties)
        {
            return schema;
        }

        var kept = new JsonObject();
        foreach (var name in names)
        {
            if (properties[name] is { } p)
            {
                kept[name] = p.DeepClone();
            }
        }

        root["properties"] = kept;
        if (root["required"] is JsonArray required)
        {
            root["required"] = new JsonArray([.. required.Select(r => r?.GetValue<string>()).Where(r => r is not null && kept.ContainsKey(r)).Select(r => (JsonNode)JsonValue.Create(r!))]);
        }

        return JsonSerializer.SerializeToElement(root);
    }
}
