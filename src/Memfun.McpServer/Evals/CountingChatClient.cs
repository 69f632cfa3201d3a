using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Memfun.McpServer.Evals;

/// <summary>Counts every model call of a task and the tokens its provider reports into an <see cref="EvalUsage"/>.</summary>
internal sealed class CountingChatClient(IChatClient inner, EvalUsage usage) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ChatResponse? response = null;
        try
        {
            response = await base.GetResponseAsync(messages, options, cancellationToken);
            return response;
        }
        finally
        {
            usage.Record(response?.Usage?.InputTokenCount, response?.Usage?.OutputTokenCount);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        UsageDetails? details = null;
        try
        {
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
            {
                foreach (var u in update.Contents.OfType<UsageContent>())
                {
                    details ??= new UsageDetails();
                    details.Add(u.Details);
                }

                yield return update;
            }
        }
        finally
        {
            usage.Record(details?.InputTokenCount, details?.OutputTokenCount);
        }
    }
}
