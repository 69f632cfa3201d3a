using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Memfun.McpServer.Hosting;

/// <summary>
/// What a <c>tools/list</c> answer costs a host's model: the whole result as a client holds it (compact JSON, as
/// <c>JSON.stringify</c> writes it) and its model-facing part (each tool's name, title, description and input
/// schema, which hosts put in the model's context). The size budget test and the footprint bench use it.
/// </summary>
internal static class ToolListFootprint
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = false };

    /// <summary>Measures the <c>result</c> of a <c>tools/list</c> answer.</summary>
    public static Footprint Measure(JsonElement result)
    {
        var tools = result.GetProperty("tools");
        var modelFacing = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var part = new JsonObject();
            foreach (var name in (string[])["name", "title", "description", "inputSchema"])
            {
                if (tool.TryGetProperty(name, out var value))
                {
                    part[name] = JsonNode.Parse(value.GetRawText());
                }
            }

            modelFacing += part.ToJsonString(Compact).Length;
        }

        return new Footprint(tools.GetArrayLength(), JsonNode.Parse(result.GetRawText())!.ToJsonString(Compact).Length, modelFacing);
    }

    /// <summary>The figures of one listing.</summary>
    /// <param name="Tools">How many tools.</param>
    /// <param name="Whole">Characters of the whole result.</param>
    /// <param name="ModelFacing">Characters of the tools' names, titles, descriptions and input schemas.</param>
    public sealed record Footprint(int Tools, int Whole, int ModelFacing);
}
