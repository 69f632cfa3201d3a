using Memfun.Engine.Agents;
using Memfun.Engine.Orchestration;
using Memfun.McpServer.Mcp;
using Memfun.Tools.Workspace;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Memfun.McpServer.Agents;

/// <summary>Registers the agents, the orchestrator and the loopback MCP client they call tools through.</summary>
internal static class AgentsMcpServerBuilderExtensions
{
    public static IMcpServerBuilder WithMemfunAgents(this IMcpServerBuilder mcp, IConfiguration? configuration)
    {
        var services = mcp.Services;
        var options = services.AddOptions<AgentOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection("agents"));
        }

        services.AddSingleton(sp => new AgentCatalog(sp.GetRequiredService<PathGuard>(), Configuration.WorkspaceTrust.IsTrusted(configuration), sp.GetService<ILogger<AgentCatalog>>()));
        services.AddSingleton<WorkflowRegistry>();
        services.AddSingleton<EscalationLadder>();
        services.AddSingleton(sp => sp.GetService<Memfun.Engine.Runtime.RuntimeBackend>() is { } backend
            ? new WorkflowStore(backend.StateStore(Memfun.Engine.Runtime.RuntimeAreas.Workflows))
            : null!);
        services.AddSingleton<LoopbackSessions>();
        services.AddSingleton<AgentService>();
        services.AddSingleton<AgentToolFactory>();
        services.AddSingleton<AgentTools>();

        mcp.WithRequestFilters(filters => filters.AddCallToolFilter(next => (request, ct) =>
            RecursionGuard.Filter((request.Services ?? request.Server.Services!).GetRequiredService<IOptions<AgentOptions>>())(next)(request, ct)));
        return mcp;
    }
}
