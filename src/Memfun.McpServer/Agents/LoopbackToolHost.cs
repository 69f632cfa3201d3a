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
        _tools = AgentToolConversions.ToAgentTools(listed);
        return _tools;
    }

    public async ValueTask<AgentToolResult> CallToolAsync(string name, IReadOnlyDictionary<string, object?> arguments, CancellationToken cancellationToken = default)
    {
        var args = AgentToolConversions.ToArguments(arguments);
        var result = await session.Client.CallToolAsync(
            new CallToolRequestParams { Name = name, Arguments = args, Meta = CallDepth.ToMeta(Depth) },
            cancellationToken);
        return AgentToolConversions.ToResult(result);
    }
}
