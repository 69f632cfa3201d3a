using System.IO.Pipelines;
using System.Text.Json;
using Memfun.McpServer.Hosting;
using Memfun.McpServer.Mcp;
using Memfun.McpServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Tests.Hosting;

/// <summary>
/// The composed MCP surface builds its tools lazily (for cold start) yet lists exactly what the SDK's eager
/// <c>WithToolsFromAssembly</c> discovery lists, then the agent tools, over both protocol revisions' wire formats.
/// </summary>
public sealed class ServerCompositionTests : IDisposable
{
    private readonly TempWorkspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Theory]
    [InlineData("2025-11-25")]
    [InlineData(null)]
    public async Task Tools_list_exactly_as_with_the_SDK_eager_discovery(string? protocolVersion)
    {
        var settings = new ServerSettings { Workspace = _ws.Path };

        var lazyServices = new ServiceCollection();
        lazyServices.AddMemfunServer(settings);
        await using var lazyProvider = lazyServices.BuildServiceProvider();
        var lazyOptions = lazyProvider.GetRequiredService<IOptions<McpServerOptions>>().Value;

        // The reference: the same registrations plus the SDK's own eager discovery, each tool compacted and wrapped as before.
        var eagerServices = new ServiceCollection();
        eagerServices.AddMemfunServer(settings).WithToolsFromAssembly(typeof(ServerComposition).Assembly);
        await using var eagerProvider = eagerServices.BuildServiceProvider();
        var eagerOptions = eagerProvider.GetRequiredService<IOptions<McpServerOptions>>().Value;
        var eagerTools = new McpServerPrimitiveCollection<McpServerTool>();
        var sdkTools = eagerProvider.GetServices<McpServerTool>().ToList();
        foreach (var tool in sdkTools.Concat(eagerProvider.GetRequiredService<Memfun.McpServer.Agents.AgentToolFactory>().CreateTools(sdkTools)))
        {
            eagerTools.Add(new ToolErrorBoundary(ToolSchemaCompaction.Compact(tool)));
        }

        eagerOptions.ToolCollection = eagerTools;

        var lazy = await ListToolsAsync(lazyOptions, lazyProvider, protocolVersion);
        var eager = await ListToolsAsync(eagerOptions, eagerProvider, protocolVersion);

        Assert.Contains(eager, t => t.Contains("\"name\":\"read_file\"", StringComparison.Ordinal));
        Assert.True(eager.Count >= 30, $"only {eager.Count} tools listed by the reference");
        Assert.Equal(eager, lazy);
    }

    [Fact]
    public async Task Initialize_builds_no_tool_and_the_first_listing_builds_them()
    {
        var services = new ServiceCollection();
        services.AddMemfunServer(new ServerSettings { Workspace = _ws.Path });
        await using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<McpServerOptions>>().Value;
        var tools = Assert.IsType<LazyToolCollection>(options.ToolCollection);

        await using var session = await Session.StartAsync(options, provider, "2025-11-25");
        Assert.False(tools.IsMaterialized);
        Assert.NotNull(session.Client.ServerCapabilities.Tools);

        var listed = await session.Client.ListToolsAsync();
        Assert.True(tools.IsMaterialized);
        Assert.Contains(listed, t => t.Name == "read_file");
    }

    [Fact]
    public async Task A_tool_called_before_any_listing_is_found_and_runs()
    {
        _ws.Write("hello.txt", "first line\n");
        var services = new ServiceCollection();
        services.AddMemfunServer(new ServerSettings { Workspace = _ws.Path });
        await using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<McpServerOptions>>().Value;

        await using var session = await Session.StartAsync(options, provider, "2025-11-25");
        var result = await session.Client.CallToolAsync("read_file", new Dictionary<string, object?> { ["path"] = "hello.txt" });

        Assert.NotEqual(true, result.IsError);
        Assert.Contains("first line", string.Join("\n", result.Content.OfType<TextContentBlock>().Select(b => b.Text)), StringComparison.Ordinal);
    }

    /// <summary>Every listed tool as the JSON the client received, in order.</summary>
    private static async Task<List<string>> ListToolsAsync(McpServerOptions options, IServiceProvider provider, string? protocolVersion)
    {
        await using var session = await Session.StartAsync(options, provider, protocolVersion);
        var tools = await session.Client.ListToolsAsync();
        return [.. tools.Select(t => JsonSerializer.Serialize(t.ProtocolTool, McpJsonUtilities.DefaultOptions))];
    }

    /// <summary>One in-process server session over pipes with the SDK client connected to it.</summary>
    private sealed class Session : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private ModelContextProtocol.Server.McpServer _server = null!;
        private Task _run = Task.CompletedTask;

        public McpClient Client { get; private set; } = null!;

        public static async Task<Session> StartAsync(McpServerOptions options, IServiceProvider provider, string? protocolVersion)
        {
            var toServer = new Pipe();
            var toClient = new Pipe();
            var session = new Session();
            session._server = ModelContextProtocol.Server.McpServer.Create(
                new StreamServerTransport(toServer.Reader.AsStream(), toClient.Writer.AsStream()), options, null, provider);
            session._run = session._server.RunAsync(session._stop.Token);
            session.Client = await McpClient.CreateAsync(
                new SchemaCheckingTransport(new StreamClientTransport(toServer.Writer.AsStream(), toClient.Reader.AsStream())),
                new McpClientOptions { ProtocolVersion = protocolVersion });
            return session;
        }

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await _stop.CancelAsync();
            await _server.DisposeAsync();
            try
            {
                await _run;
            }
            catch (OperationCanceledException)
            {
            }

            _stop.Dispose();
        }
    }
}
