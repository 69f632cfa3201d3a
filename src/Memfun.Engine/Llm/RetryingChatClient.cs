using System.ClientModel;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Memfun.Engine.Llm;

/// <summary>
/// Retries a call that failed with 429, 408, a 5xx or a dropped connection, with exponential backoff and
/// jitter, honouring the server's Retry-After; other failures pass through at once. When the retries run
/// out the error becomes an <see cref="LlmProviderException"/> naming the status and the attempts.
/// </summary>
/// <remarks>
/// Streaming calls are retried only before the first update arrives. Cancellation stops the wait at once.
/// </remarks>
internal sealed partial class RetryingChatClient(IChatClient inner, int maxRetries, TimeSpan baseDelay, ILogger logger, TimeProvider? time = null)
    : DelegatingChatClient(inner)
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(60);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (Classify(ex) is { } failure && !cancellationToken.IsCancellationRequested)
            {
                if (attempt >= maxRetries)
                {
                    throw GiveUp(failure, attempt + 1, ex);
                }

                await WaitAsync(failure, attempt, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        for (var attempt = 0; ; attempt++)
        {
            var enumerator = base.GetStreamingResponseAsync(list, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            bool first;
            Failure? failure = null;
            Exception? error = null;
            try
            {
                first = await enumerator.MoveNextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (Classify(ex) is { } f && !cancellationToken.IsCancellationRequested)
            {
                first = false;
                failure = f;
                error = ex;
            }

            if (failure is not null)
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
                if (attempt >= maxRetries)
                {
                    throw GiveUp(failure, attempt + 1, error!);
                }

                await WaitAsync(failure, attempt, cancellationToken).ConfigureAwait(false);
                continue;
            }

            await using (enumerator.ConfigureAwait(false))
            {
                if (first)
                {
                    yield return enumerator.Current;
                    while (await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield return enumerator.Current;
                    }
                }
            }

            yield break;
        }
    }

    /// <summary>The retry delay for <paramref name="attempt"/> (0-based): Retry-After if given, else base·2^attempt with jitter.</summary>
    internal TimeSpan DelayFor(TimeSpan? retryAfter, int attempt)
    {
        if (retryAfter is { } ra)
        {
            return ra < TimeSpan.Zero ? TimeSpan.Zero : ra > MaxDelay ? MaxDelay : ra;
        }

        var exp = baseDelay.TotalMilliseconds * Math.Pow(2, attempt);
        var jittered = exp * (0.5 + (Random.Shared.NextDouble() * 0.5));
        return TimeSpan.FromMilliseconds(Math.Min(jittered, MaxDelay.TotalMilliseconds));
    }

    private async Task WaitAsync(Failure failure, int attempt, CancellationToken cancellationToken)
    {
        var delay = DelayFor(failure.RetryAfter, attempt);
        LogRetry(logger, failure.Describe(), attempt + 1, (long)delay.TotalMilliseconds);
        await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
    }

    private static LlmProviderException GiveUp(Failure failure, int attempts, Exception inner) => new(
        $"The model provider failed with {failure.Describe()} after {attempts} attempt(s): {Trim(inner.Message)}. " +
        "Check the endpoint ([llm] base_url), the key and the provider's status, then try again.",
        failure.Status, failure.RetryAfter, inner);

    private static string Trim(string message) => message.Length > 300 ? message[..300] + "…" : message;

    /// <summary>Null when the error is not worth retrying.</summary>
    internal static Failure? Classify(Exception ex) => ex switch
    {
        LlmProviderException p => Transient(p.StatusCode) ? new Failure(p.StatusCode, p.RetryAfter) : null,
        ClientResultException c => Transient(c.Status == 0 ? null : (HttpStatusCode)c.Status) ? new Failure(c.Status == 0 ? null : (HttpStatusCode)c.Status, RetryAfterOf(c)) : null,
        HttpRequestException h => Transient(h.StatusCode) ? new Failure(h.StatusCode, null) : null,
        _ => null,
    };

    private static bool Transient(HttpStatusCode? status) => status is null || (int)status.Value is 408 or 429 or >= 500;

    internal static TimeSpan? RetryAfterOf(ClientResultException ex)
    {
        var raw = ex.GetRawResponse();
        if (raw is null)
        {
            return null;
        }

        if (raw.Headers.TryGetValue("retry-after-ms", out var ms) && double.TryParse(ms, System.Globalization.CultureInfo.InvariantCulture, out var m))
        {
            return TimeSpan.FromMilliseconds(m);
        }

        return raw.Headers.TryGetValue("Retry-After", out var value) ? ParseRetryAfter(value) : null;
    }

    /// <summary>Parses a Retry-After value: seconds, or an HTTP date.</summary>
    internal static TimeSpan? ParseRetryAfter(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(Math.Max(0, seconds));
        }

        return DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? at - DateTimeOffset.UtcNow
            : null;
    }

    internal sealed record Failure(HttpStatusCode? Status, TimeSpan? RetryAfter)
    {
        public string Describe() => Status is { } s ? $"HTTP {(int)s} {s}" : "no answer (connection failed)";
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Model call failed with {Failure}; retry {Attempt} in {DelayMs} ms.")]
    private static partial void LogRetry(ILogger logger, string failure, int attempt, long delayMs);
}
