// Sampling (deprecated by the 2026-07-28 protocol, MCP9005) is how a test host lends its model.
#pragma warning disable MCP9005
using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Tests.Infrastructure;

/// <summary>Replies a test's sampling handler gives as the host's model ("host-model"): a text turn or a tool call.</summary>
public static class HostModelReplies
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>A final text answer.</summary>
    public static CreateMessageResult Text(string text) => new()
    {
        Content = [new TextContentBlock { Text = text }],
        Model = "host-model",
        Role = Role.Assistant,
        StopReason = "endTurn",
    };

    /// <summary>A call of tool <paramref name="name"/> with <paramref name="input"/> (serialized camel-case) as its arguments.</summary>
    public static CreateMessageResult ToolUse(string name, object input) => new()
    {
        Content = [new ToolUseContentBlock { Id = "call-" + Guid.NewGuid().ToString("N")[..8], Name = name, Input = JsonSerializer.SerializeToElement(input, Web) }],
        Model = "host-model",
        Role = Role.Assistant,
        StopReason = "toolUse",
    };
}
