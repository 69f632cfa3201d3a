using Microsoft.Extensions.AI;

namespace Memfun.Engine.Tests.Agents;

/// <summary>Builds scripted model replies that call tools.</summary>
public static class ChatReplies
{
    public static ChatResponse ToolCalls(params (string Name, Dictionary<string, object?> Args)[] calls) =>
        new(new ChatMessage(ChatRole.Assistant, [.. calls.Select((c, i) => (AIContent)new FunctionCallContent($"call{Guid.NewGuid():N}", c.Name, c.Args))]))
        {
            Usage = new UsageDetails { InputTokenCount = 50, OutputTokenCount = 10, TotalTokenCount = 60 },
        };

    public static Dictionary<string, object?> Args(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
