using System.Text.Json;
using Memfun.Engine.Agents;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Agents;

/// <summary>The agent tool host over a loopback MCP client, calling at a fixed recursion depth.</summary>
internal sealed class LoopbackToolHost(LoopbackSession session, int depth) : IAgentToolHost
{
    private IReadOnlyList<AgentTool>? _tools;

    public int Depth { get; } = depth;

    public async ValueTask<IReadOnlyList<AgentTool>> ListToolsAsync(CancellationToken cancellationToken = default)
    {
        if (_tools is not null)
        {
            return _tools;
        }

        var listed = await session.Client.ListToolsAsync(cancellationToken: cancellationToken);
        _tools = [.. listed.Select(t => new AgentTool(t.Name, t.Description ?? string.Empty, t.ProtocolTool.InputSchema))];
        return _tools;
    }

    public async ValueTask<AgentToolResult> CallToolAsync(string name, IReadOnlyDictionary<string, object?> arguments, CancellationToken cancellationToken = default)
    {
        var args = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (k, v) in arguments)
        {
            args[k] = v is JsonElement e ? e : JsonSerializer.SerializeToElement(v);
        }

        var result = await session.Client.CallToolAsync(
            new CallToolRequestParams { Name = name, Arguments = args, Meta = CallDepth.Meta(Depth) },
            cancellationToken);
        var text = string.Join("\n", result.Content.OfType<TextContentBlock>().Select(b => b.Text));
        return new AgentToolResult(text, result.IsError == true, result.StructuredContent is { } s ? JsonSerializer.SerializeToElement(s) : null);
    }
}
