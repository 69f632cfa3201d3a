using Microsoft.Extensions.AI;
using ModelContextProtocol.Server;

namespace Memfun.Engine.Llm;

/// <summary>
/// Gives the agents their model: the configured provider (OpenAI-compatible, Anthropic), or else MCP
/// sampling through the host that made the current request.
/// </summary>
/// <remarks>Thread-safe. The returned client counts tokens and honours the request's budget.</remarks>
public interface IChatClientFactory
{
    /// <summary>
    /// Returns the chat client for one request. <paramref name="requestServer"/> is the MCP server session
    /// that received the request; it is used for sampling when no provider is configured.
    /// </summary>
    /// <exception cref="LlmNotConfiguredException">No provider is configured and the host does not support sampling.</exception>
    IChatClient GetChatClient(McpServer? requestServer = null);
}
