using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Agents;

/// <summary>
/// An MCP client bound, over in-memory pipes, to a second server instance that shares this server's tool
/// collection: agents call tools through it, so their calls (the orchestrator and other agents included) go
/// through the same validation, progress, cancellation and error mapping as a host's.
/// </summary>
/// <remarks>
/// One per outer MCP session. Sampling requests made by tools running on the loopback server are forwarded
/// to the outer host, when it supports sampling. Disposed with the process.
/// </remarks>
internal sealed class LoopbackSession : IAsyncDisposable
{
    /// <summary>The client name of a loopback session (how filters tell it from the host's session).</summary>
    public const string ClientName = "memfun-agent";

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serverRun;

    private LoopbackSession(ModelContextProtocol.Server.McpServer server, McpClient client, Task serverRun)
    {
        Server = server;
        Client = client;
        _serverRun = serverRun;
    }

    /// <summary>The experimental client capability the loopback client declares, holding <see cref="Marker"/>.</summary>
    public const string MarkerCapability = "memfun/loopback";

    /// <summary>A value only this process knows: a session whose client declares it is an agents' loopback session.</summary>
    public static string Marker { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Whether the client of <paramref name="server"/> is a loopback client of this process.</summary>
    public static bool IsLoopbackClient(ModelContextProtocol.Server.McpServer server) =>
        server.ClientCapabilities?.Experimental is { } experimental
        && experimental.TryGetValue(MarkerCapability, out var value)
        && value?.ToString() == Marker;

    /// <summary>The loopback server (tools invoked through <see cref="Client"/> run on it).</summary>
    public ModelContextProtocol.Server.McpServer Server { get; }

    /// <summary>The client agents use.</summary>
    public McpClient Client { get; }

    public static async Task<LoopbackSession> StartAsync(
        ModelContextProtocol.Server.McpServer outer,
        McpServerOptions options,
        ILoggerFactory loggerFactory,
        IServiceProvider services,
        CancellationToken cancellationToken)
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        var serverTransport = new StreamServerTransport(toServer.Reader.AsStream(), toClient.Writer.AsStream(), "memfun-loopback", loggerFactory);
        var server = ModelContextProtocol.Server.McpServer.Create(serverTransport, options, loggerFactory, services);
        var run = Task.Run(() => server.RunAsync(CancellationToken.None), CancellationToken.None);

        var clientOptions = new McpClientOptions
        {
            ClientInfo = new Implementation { Name = ClientName, Version = Hosting.ServerComposition.Version },
            // The loopback client lends the outer host's model, so it declares the host's sampling capability as it is
            // (tools included: an agent on the loopback server needs to know whether the model can call tools).
            Capabilities = new ClientCapabilities
            {
                Experimental = new Dictionary<string, object> { [MarkerCapability] = Marker },
#pragma warning disable MCP9005
                Sampling = outer.ClientCapabilities?.Sampling,
#pragma warning restore MCP9005
            },
        };
        // Sampling is deprecated by the 2026-07-28 protocol (MCP9005) but remains how hosts of the
        // 2025-11-25 era lend their model; it is the zero-configuration default, so it stays supported.
#pragma warning disable MCP9005
        if (outer.ClientCapabilities?.Sampling is not null)
        {
            // Tools on the loopback server sample through the host that made the outer request.
            clientOptions.Handlers.SamplingHandler = (request, _, ct) => request is null
                ? throw new ArgumentNullException(nameof(request))
                : outer.SampleAsync(request, ct);
        }
#pragma warning restore MCP9005

        var clientTransport = new StreamClientTransport(toServer.Writer.AsStream(), toClient.Reader.AsStream(), loggerFactory);
        var client = await McpClient.CreateAsync(clientTransport, clientOptions, loggerFactory, cancellationToken);
        return new LoopbackSession(server, client, run);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await _stop.CancelAsync();
        await Server.DisposeAsync();
        try
        {
            await _serverRun.WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or IOException)
        {
        }

        _stop.Dispose();
    }
}
