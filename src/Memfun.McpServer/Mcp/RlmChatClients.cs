using Memfun.Engine.Llm;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Memfun.McpServer.Mcp;

/// <summary>The model behind rlm_run and a REPL's llm_query, from <see cref="IChatClientFactory"/> (configured provider, else the host's sampling).</summary>
internal static class RlmChatClients
{
    /// <summary>The chat client for a request of <paramref name="server"/>; null when no model can be reached.</summary>
    public static IChatClient? For(ModelContextProtocol.Server.McpServer server)
    {
        var factory = server.Services?.GetRequiredService<IChatClientFactory>();
        if (factory is null)
        {
            return null;
        }

        try
        {
            return factory.GetChatClient(server);
        }
        catch (LlmNotConfiguredException)
        {
            return null;
        }
    }
}
