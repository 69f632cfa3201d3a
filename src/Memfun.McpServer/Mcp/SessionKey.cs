using System.Runtime.CompilerServices;
using Memfun.McpServer.Hosting;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Server;
using Server = ModelContextProtocol.Server.McpServer;

namespace Memfun.McpServer.Mcp;

/// <summary>
/// A stable key for the MCP session a request belongs to: the transport's session id over HTTP, and
/// over stdio (no session id) one key per server instance, taken from its options object (which
/// every per-request view of that server shares).
/// </summary>
internal static class SessionKey
{
    /// <summary>
    /// The owner of REPL sessions and traces made by requests without a protocol session over HTTP (the stateless
    /// 2026-07-28 protocol): nothing tells such clients apart, so what a client holds is the unguessable session or
    /// trace id it was given, and lists never show these to anyone.
    /// </summary>
    public const string Stateless = "stateless-http";

    private static readonly ConditionalWeakTable<McpServerOptions, string> Unnamed = [];

    public static string For(Server server)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (server.SessionId is { Length: > 0 } id)
        {
            return ForSession(id);
        }

        return Unnamed.GetValue(server.ServerOptions, _ => "server:" + Guid.NewGuid().ToString("N"));
    }

    /// <summary>The key of the HTTP MCP session <paramref name="sessionId"/>.</summary>
    public static string ForSession(string sessionId) => "session:" + sessionId;

    /// <summary>
    /// Who owns the REPL sessions and traces a request makes: its MCP session (HTTP with a session, or the stdio
    /// server), or <see cref="Stateless"/> for HTTP requests without one.
    /// </summary>
    public static string Owner(Server server)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (server.SessionId is not { Length: > 0 } && server.Services?.GetService<ServerSettings>() is { Http: true })
        {
            return Stateless;
        }

        return For(server);
    }
}
