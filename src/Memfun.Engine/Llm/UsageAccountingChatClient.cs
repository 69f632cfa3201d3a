using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Memfun.Engine.Llm;

/// <summary>
/// Counts each call's prompt and completion tokens into the current <see cref="LlmRequestScope"/>
/// (when there is one) and logs them at Debug.
/// </summary>
/// <remarks>Thread-safe. Calls without usage from the provider count as a call with zero tokens.</remarks>
internal sealed partial class UsageAccountingChatClient(IChatClient inner, ILogger logger) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        Record(response.Usage);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        UsageDetails? usage = null;
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            foreach (var content in update.Contents)
            {
                if (content is UsageContent u)
                {
                    usage ??= new UsageDetails();
                    usage.Add(u.Details);
                }
            }

            yield return update;
        }

        Record(usage);
    }

    private void Record(UsageDetails? usage)
    {
        var call = new LlmUsage(1, usage?.InputTokenCount ?? 0, usage?.OutputTokenCount ?? 0);
        LlmRequestScope.Current?.Record(call);
        LogCall(logger, call.PromptTokens, call.CompletionTokens, LlmRequestScope.Current?.Usage.TotalTokens ?? call.TotalTokens);
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Model call: {Prompt} prompt + {Completion} completion tokens ({RequestTotal} so far in this request).")]
    private static partial void LogCall(ILogger logger, long prompt, long completion, long requestTotal);
}
