using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Memfun.McpServer.Hosting;

/// <summary>Runs the MCP server over stdin/stdout until the host closes stdin or the process is told to stop.</summary>
internal static class StdioServer
{
    public static async Task<int> RunAsync(ServerSettings settings, CancellationToken cancellationToken)
    {
        // The empty builder skips appsettings, user secrets and default providers: start-up is what a host waits on.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = settings.Workspace,
            DisableDefaults = true,
        });
        builder.Services.AddMemfunServer(settings).WithStdioServerTransport();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));

        using var host = builder.Build();
        await host.RunAsync(cancellationToken);
        return 0;
    }
}
