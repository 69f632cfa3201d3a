using System.Text.Json.Nodes;

namespace Memfun.McpServer.Tests.Infrastructure.Hosts;

/// <summary>
/// One step of a scripted model: call <paramref name="Name"/> (in <paramref name="Namespace"/> where the wire format
/// groups tools, as Codex groups an MCP server's) with the arguments <paramref name="Arguments"/> builds from the
/// results seen so far (so a step can use an id an earlier tool returned).
/// </summary>
public sealed record ScriptedToolCall(string Name, string? Namespace, Func<IReadOnlyList<ObservedToolResult>, JsonObject> Arguments);
