using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Agents;

/// <summary>Finds or starts the loopback session of an MCP session; a loopback server maps to its own session.</summary>
internal sealed class LoopbackSessions(IOptions<McpServerOptions> options, ILoggerFactory loggerFactory, IServiceProvider services) : IAsyncDisposable
{
    private readonly ConditionalWeakTable<ModelContextProtocol.Server.McpServer, Task<LoopbackSession>> _byOuter = [];
    private readonly ConditionalWeakTable<ModelContextProtocol.Server.McpServer, LoopbackSession> _byLoopback = [];
    private readonly List<Task<LoopbackSession>> _all = [];
    private readonly Lock _gate = new();

    /// <summary>Whether <paramref name="server"/> is one of the agents' loopback servers (not a host's session).</summary>
    /// <remarks>A request's server is a per-request wrapper, so the check is the client's loopback marker, not identity.</remarks>
    public static bool IsLoopback(ModelContextProtocol.Server.McpServer server) => LoopbackSession.IsLoopbackClient(server);

    public async Task<LoopbackSession> GetAsync(ModelContextProtocol.Server.McpServer server, CancellationToken cancellationToken)
    {
        if (_byLoopback.TryGetValue(server, out var own))
        {
            return own;
        }

        Task<LoopbackSession> pending;
        lock (_gate)
        {
            if (!_byOuter.TryGetValue(server, out pending!))
            {
                pending = StartAsync(server);
                _byOuter.Add(server, pending);
                _all.Add(pending);
            }
        }

        return await pending.WaitAsync(cancellationToken);
    }

    private async Task<LoopbackSession> StartAsync(ModelContextProtocol.Server.McpServer outer)
    {
        var session = await LoopbackSession.StartAsync(outer, options.Value, loggerFactory, services, CancellationToken.None);
        _byLoopback.AddOrUpdate(session.Server, session);
        return session;
    }

    public async ValueTask DisposeAsync()
    {
        Task<LoopbackSession>[] all;
        lock (_gate)
        {
            all = [.. _all];
        }

        foreach (var t in all)
        {
            if (t.IsCompletedSuccessfully)
            {
                await t.Result.DisposeAsync();
            }
        }
    }
}
