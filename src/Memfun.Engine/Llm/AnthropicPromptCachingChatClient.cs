using System.Runtime.CompilerServices;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;

namespace Memfun.Engine.Llm;

/// <summary>
/// Marks the long stable prefix of each Anthropic request for prompt caching: a breakpoint after the system prompt
/// (which caches the tool list with it, tools coming first in Anthropic's cache order) and one after the newest
/// message, so the next turn of an agent loop reads the whole conversation so far from the cache.
/// </summary>
/// <remarks>
/// Thread-safe. The caller's messages are not changed: the marked messages and contents are copies. Uses two of the
/// four breakpoints Anthropic allows; a prefix shorter than the model's minimum is simply not cached. Other
/// providers ignore the marks, but this client is only put in front of the Anthropic SDK's client.
/// </remarks>
internal sealed class AnthropicPromptCachingChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(Mark(messages), options, cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(Mark(messages), options, cancellationToken);

    /// <summary>A copy of <paramref name="messages"/> with cache breakpoints on the last system text and on the newest message.</summary>
    internal static List<ChatMessage> Mark(IEnumerable<ChatMessage> messages)
    {
        var list = messages.ToList();
        var lastSystem = list.FindLastIndex(m => m.Role == ChatRole.System && m.Contents.OfType<TextContent>().Any());
        if (lastSystem >= 0)
        {
            list[lastSystem] = WithBreakpoint(list[lastSystem]);
        }

        var last = list.Count - 1;
        if (last >= 0 && last != lastSystem && list[last].Role != ChatRole.System)
        {
            list[last] = WithBreakpoint(list[last]);
        }

        return list;
    }

    private static ChatMessage WithBreakpoint(ChatMessage message)
    {
        var contents = message.Contents.ToList();
        var index = contents.FindLastIndex(c => c is TextContent or FunctionResultContent or FunctionCallContent);
        if (index < 0)
        {
            return message;
        }

        var copy = message.Clone();
        contents[index] = Copy(contents[index]).WithCacheControl(new CacheControlEphemeral());
        copy.Contents = contents;
        return copy;
    }

    private static AIContent Copy(AIContent content)
    {
        AIContent copy = content switch
        {
            TextContent t => new TextContent(t.Text),
            FunctionResultContent r => new FunctionResultContent(r.CallId, r.Result) { Exception = r.Exception },
            FunctionCallContent c => new FunctionCallContent(c.CallId, c.Name, c.Arguments) { Exception = c.Exception },
            _ => content,
        };
        copy.RawRepresentation = content.RawRepresentation;
        copy.Annotations = content.Annotations;
        copy.AdditionalProperties = content.AdditionalProperties is null ? null : new AdditionalPropertiesDictionary(content.AdditionalProperties);
        return copy;
    }
}
