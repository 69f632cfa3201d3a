using Memfun.Engine.Llm;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Mcp;

/// <summary>The model behind rlm_run and a REPL's llm_query: the configured provider, else the host's sampling.</summary>
internal static class RlmChatClients
{
    /// <summary>The chat client for a request of <paramref name="server"/>; null when no model can be reached.</summary>
    public static IChatClient? For(ModelContextProtocol.Server.McpServer server)
    {
        if (server.Services?.GetService<IChatClientFactory>() is { } factory)
        {
            try
            {
                return factory.GetChatClient(server);
            }
            catch (LlmNotConfiguredException)
            {
                return null;
            }
        }

        // Until the LLM layer registers its factory: MCP sampling through the calling host, when it offers it.
#pragma warning disable MCP9005 // The factory replaces these calls once it exists; sampling is the documented zero-configuration default.
        if (server.ClientCapabilities?.Sampling is null)
        {
            return null;
        }

        return server.AsSamplingChatClient();
#pragma warning restore MCP9005
    }
}
