using System.Text.Json;

namespace Memfun.Engine.Agents;

/// <summary>
/// How an agent reaches tools: the server binds this to an MCP client over its own tool collection, so an
/// agent's tool call (the orchestrator and other agents included) is an ordinary MCP tool call.
/// </summary>
public interface IAgentToolHost
{
    /// <summary>The tools that exist, with their JSON input schemas.</summary>
    ValueTask<IReadOnlyList<AgentTool>> ListToolsAsync(CancellationToken cancellationToken = default);

    /// <summary>Calls a tool. Tool errors come back as <see cref="AgentToolResult.IsError"/>, not exceptions.</summary>
    ValueTask<AgentToolResult> CallToolAsync(string name, IReadOnlyDictionary<string, object?> arguments, CancellationToken cancellationToken = default);
}

/// <summary>A tool an agent can be given.</summary>
public sealed record AgentTool(string Name, string Description, JsonElement InputSchema);

/// <summary>The outcome of one tool call: its text, whether it failed, and its structured content if any.</summary>
public sealed record AgentToolResult(string Text, bool IsError, JsonElement? Structured = null);
