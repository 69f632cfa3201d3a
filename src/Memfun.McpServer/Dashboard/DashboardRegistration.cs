using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Memfun.McpServer.Dashboard;

/// <summary>Registers the live dashboard: its hub, the background service that serves or joins it, and the event sources.</summary>
internal static class DashboardRegistration
{
    public static IMcpServerBuilder WithMemfunDashboard(this IMcpServerBuilder mcp, IConfiguration? configuration)
    {
        var services = mcp.Services;
        var options = services.AddOptions<DashboardOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection("dashboard"));
        }

        services.AddSingleton<DashboardHub>();
        services.AddSingleton<DashboardService>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<DashboardService>());
        services.AddSingleton<DashboardEventSource>();
        mcp.WithRequestFilters(f => f.AddCallToolFilter(next => (request, ct) =>
            (request.Services ?? request.Server.Services!).GetRequiredService<DashboardEventSource>().CallToolFilter()(next)(request, ct)));
        mcp.WithMessageFilters(f => f.AddOutgoingFilter(next => (context, ct) =>
            (context.Services ?? context.Server.Services!).GetRequiredService<DashboardEventSource>().ProgressFilter()(next)(context, ct)));
        return mcp;
    }
}
