using System.Text.Json;
using Memfun.Engine.Agents;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Agents;

/// <summary>The one mapping between the agents' tool-host records and MCP client calls, for every host over an MCP client.</summary>
internal static class AgentToolConversions
{
    public static IReadOnlyList<AgentTool> ToAgentTools(IEnumerable<McpClientTool> listed) =>
        [.. listed.Select(t => new AgentTool(t.Name, t.Description ?? string.Empty, t.ProtocolTool.InputSchema))];

    public static Dictionary<string, JsonElement> ToArguments(IReadOnlyDictionary<string, object?> arguments)
    {
        var args = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (k, v) in arguments)
        {
            args[k] = v is JsonElement e ? e : JsonSerializer.SerializeToElement(v);
        }

        return args;
    }

    public static AgentToolResult ToResult(CallToolResult result) => new(
        string.Join("\n", result.Content.OfType<TextContentBlock>().Select(b => b.Text)),
        result.IsError == true,
        result.StructuredContent);
}
