using Memfun.Engine.Agents;
using Memfun.Engine.Workflow;
using Memfun.McpServer.Mcp;
using Memfun.Tools.Workspace;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Agents;

/// <summary>Registers the agents, the orchestrator and the loopback MCP client they call tools through.</summary>
internal static class AgentRegistration
{
    public static IMcpServerBuilder WithMemfunAgents(this IMcpServerBuilder mcp, IConfiguration? configuration)
    {
        var services = mcp.Services;
        var options = services.AddOptions<AgentOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection("agents"));
        }

        services.AddSingleton(sp => new AgentCatalog(sp.GetRequiredService<PathGuard>(), sp.GetService<ILogger<AgentCatalog>>()));
        services.AddSingleton<WorkflowRegistry>();
        services.AddSingleton<LoopbackSessions>();
        services.AddSingleton<AgentService>();
        services.AddSingleton<AgentToolFactory>();
        services.AddSingleton<AgentTools>();

        // The SDK resolves a tools/call's tool before the call filters run, so a host that calls an agent tool
        // without listing first (stateless clients do) must find it registered already: register on the way in.
        mcp.WithMessageFilters(filters => filters.AddIncomingFilter(next => (context, ct) =>
        {
            if (context.JsonRpcMessage is JsonRpcRequest { Method: RequestMethods.ToolsCall } && context.Server is { } server)
            {
                (context.Services ?? server.Services)?.GetService<AgentToolFactory>()?.EnsureRegistered(server.ServerOptions.ToolCollection);
            }

            return next(context, ct);
        }));
        mcp.WithRequestFilters(filters =>
        {
            filters.AddCallToolFilter(next => async (request, ct) =>
            {
                var sp = request.Services ?? request.Server.Services!;
                sp.GetRequiredService<AgentToolFactory>().EnsureRegistered(request.Server.ServerOptions.ToolCollection);
                return await RecursionGuard.Filter(sp.GetRequiredService<IOptions<AgentOptions>>())(next)(request, ct);
            });
            filters.AddListToolsFilter(next => async (request, ct) =>
            {
                var sp = request.Services ?? request.Server.Services!;
                sp.GetRequiredService<AgentToolFactory>().EnsureRegistered(request.Server.ServerOptions.ToolCollection);
                return await next(request, ct);
            });
        });
        return mcp;
    }
}
