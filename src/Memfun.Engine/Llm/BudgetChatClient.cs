using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Memfun.Engine.Llm;

/// <summary>
/// Enforces the current <see cref="LlmRequestScope"/>'s token and time budget: refuses a call once the
/// tokens are spent, cancels a call when the time runs out, and fails a call whose answer pushed the
/// request over its token budget, each with <see cref="LlmBudgetExceededException"/>.
/// </summary>
/// <remarks>Outside a scope it passes calls through. The caller's cancellation is honoured mid-call.</remarks>
internal sealed class BudgetChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var scope = LlmRequestScope.Current;
        if (scope is null)
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }

        CheckBefore(scope);
        using var deadline = Deadline(scope, cancellationToken);
        try
        {
            var response = await base.GetResponseAsync(messages, options, deadline?.Token ?? cancellationToken).ConfigureAwait(false);
            CheckAfter(scope);
            return response;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && deadline is { IsCancellationRequested: true })
        {
            throw TimeExceeded(scope, ex);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var scope = LlmRequestScope.Current;
        if (scope is not null)
        {
            CheckBefore(scope);
        }

        using var deadline = scope is null ? null : Deadline(scope, cancellationToken);
        var enumerator = base.GetStreamingResponseAsync(messages, options, deadline?.Token ?? cancellationToken).GetAsyncEnumerator(deadline?.Token ?? cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (scope is not null && !cancellationToken.IsCancellationRequested && deadline is { IsCancellationRequested: true })
                {
                    throw TimeExceeded(scope, ex);
                }

                if (!more)
                {
                    break;
                }

                yield return enumerator.Current;
            }
        }

        if (scope is not null)
        {
            CheckAfter(scope);
        }
    }

    private static CancellationTokenSource? Deadline(LlmRequestScope scope, CancellationToken cancellationToken)
    {
        if (scope.Remaining is not { } remaining)
        {
            return null;
        }

        var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(remaining);
        return cts;
    }

    private static void CheckBefore(LlmRequestScope scope)
    {
        if (scope.TokenBudget > 0 && scope.Usage.TotalTokens >= scope.TokenBudget)
        {
            throw TokensExceeded(scope);
        }

        if (scope.Remaining is { } left && left <= TimeSpan.Zero)
        {
            throw TimeExceeded(scope, null);
        }
    }

    private static void CheckAfter(LlmRequestScope scope)
    {
        if (scope.TokenBudget > 0 && scope.Usage.TotalTokens > scope.TokenBudget)
        {
            throw TokensExceeded(scope);
        }
    }

    private static LlmBudgetExceededException TokensExceeded(LlmRequestScope scope) => new(
        $"The request used {scope.Usage.TotalTokens} tokens in {scope.Usage.Calls} model call(s), over its budget of {scope.TokenBudget} tokens; " +
        "it was stopped and no further changes were made. Narrow the task, or raise [llm] request_token_budget in memfun.toml.");

    private static LlmBudgetExceededException TimeExceeded(LlmRequestScope scope, Exception? inner)
    {
        var message = $"The request ran over its time budget of {scope.TimeBudget.TotalSeconds:0.#} s after {scope.Usage.Calls} model call(s); " +
            "it was stopped and no further changes were made. Narrow the task, or raise [llm] request_timeout_seconds in memfun.toml.";
        return inner is null ? new(message) : new(message, inner);
    }
}
