using Memfun.McpServer.Agents;
using Memfun.McpServer.Mcp;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Hosting;

/// <summary>
/// Serves a host only the tools of the chosen <see cref="Toolsets"/>: <c>tools/list</c> leaves the others out and
/// <c>tools/call</c> refuses them as unknown. The tool collection itself stays whole, so the agents' loopback server
/// (which shares it) still reaches every tool a specialist, the solver or the orchestrator needs.
/// </summary>
internal static class ToolsetFilters
{
    /// <summary>Adds the filters when <paramref name="toolsets"/> is not every toolset.</summary>
    public static IMcpServerBuilder WithToolsets(this IMcpServerBuilder mcp, Toolsets toolsets)
    {
        if (toolsets.IsEverything)
        {
            return mcp;
        }

        mcp.WithRequestFilters(filters => filters
            .AddListToolsFilter(next => async (request, cancellationToken) =>
            {
                var result = await next(request, cancellationToken);
                if (!IsLoopback(request))
                {
                    result.Tools = [.. result.Tools.Where(t => Serves(toolsets, request.Server, t.Name))];
                }

                return result;
            })
            .AddCallToolFilter(next => (request, cancellationToken) =>
            {
                var name = request.Params?.Name ?? "";
                if (!IsLoopback(request) && !Serves(toolsets, request.Server, name))
                {
                    throw new McpProtocolException(
                        $"Unknown tool: '{name}'. Its toolset is not served here (memfun serve --toolsets {toolsets}); call tools/list for the tools available.",
                        McpErrorCode.InvalidParams);
                }

                return next(request, cancellationToken);
            }));
        return mcp;
    }

    /// <summary>The toolset a tool was declared in (its class's <see cref="ToolsetAttribute"/>, or its create options' metadata); null for none.</summary>
    public static string? ToolsetOf(McpServerTool tool) => tool.Metadata.OfType<ToolsetAttribute>().FirstOrDefault()?.Name;

    private static bool Serves(Toolsets toolsets, ModelContextProtocol.Server.McpServer server, string name) =>
        server.ServerOptions.ToolCollection?.TryGetPrimitive(name, out var tool) != true || toolsets.Serves(ToolsetOf(tool!));

    private static bool IsLoopback<T>(RequestContext<T> request) => LoopbackSessions.IsLoopback(request.Server);
}
