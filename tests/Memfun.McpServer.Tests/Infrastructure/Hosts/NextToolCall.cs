using System.Text.Json.Nodes;

namespace Memfun.McpServer.Tests.Infrastructure.Hosts;

/// <summary>The tool call a scripted model answers with: step <paramref name="Index"/> of the script, its arguments built.</summary>
public sealed record NextToolCall(string Name, string? Namespace, JsonObject Arguments, int Index)
{
    /// <summary>An id for the call, the same for the same step however often a host asks (retries).</summary>
    public string Id => $"call_{Index:D3}";
}
