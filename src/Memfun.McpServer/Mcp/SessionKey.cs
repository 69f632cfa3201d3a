using System.Runtime.CompilerServices;
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
    private static readonly ConditionalWeakTable<McpServerOptions, string> Unnamed = [];

    public static string For(Server server)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (server.SessionId is { Length: > 0 } id)
        {
            return "session:" + id;
        }

        return Unnamed.GetValue(server.ServerOptions, _ => "server:" + Guid.NewGuid().ToString("N"));
    }
}
