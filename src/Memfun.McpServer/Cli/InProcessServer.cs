using System.IO.Pipelines;
using Memfun.McpServer.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Cli;

/// <summary>
/// The full memfun server composed in this process, with an MCP client connected to it over in-memory pipes:
/// the interactive chat and the one-shot commands are clients of the same tools a host sees.
/// </summary>
internal sealed class InProcessServer : IAsyncDisposable
{
    private readonly IHost _host;

    private InProcessServer(IHost host, McpClient client)
    {
        _host = host;
        Client = client;
    }

    public McpClient Client { get; }

    public IServiceProvider Services => _host.Services;

    public static Task<InProcessServer> StartAsync(ServerSettings settings, CancellationToken cancellationToken) =>
        StartAsync(settings, null, cancellationToken);

    /// <summary>Starts the server; <paramref name="configure"/> may change its services after they are composed (eval's model counting).</summary>
    public static async Task<InProcessServer> StartAsync(ServerSettings settings, Action<IServiceCollection>? configure, CancellationToken cancellationToken)
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = settings.Workspace, DisableDefaults = true });
        builder.Services.AddMemfunServer(settings).WithStreamServerTransport(toServer.Reader.AsStream(), toClient.Writer.AsStream());
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        var client = await McpClient.CreateAsync(
            new StreamClientTransport(toServer.Writer.AsStream(), toClient.Reader.AsStream()),
            new McpClientOptions { ClientInfo = new Implementation { Name = "memfun-cli", Version = ServerComposition.Version } },
            cancellationToken: cancellationToken);
        return new InProcessServer(host, client);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await _host.StopAsync(TimeSpan.FromSeconds(3));
        _host.Dispose();
    }
}
