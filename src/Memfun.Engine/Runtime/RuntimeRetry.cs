using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Memfun.Engine.Runtime.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;
using StackExchange.Redis;

namespace Memfun.Engine.Runtime;

/// <summary>
/// The one retry policy of the shared tiers (NATS and Redis): a call that fails because its server is away (a
/// restart, a leader change, a failover) is tried again with a growing pause (100 ms, doubling to 1 s) for up to
/// <see cref="Budget"/>, then fails with a <see cref="RuntimeUnavailableException"/> naming the server.
/// </summary>
/// <remarks>
/// Both clients reconnect by themselves; this keeps a call alive across the gap. A retried write may have been applied
/// before its reply was lost: events are at-least-once; tasks with an idempotency key are deduplicated. A caller's
/// cancellation is never retried. Thread-safe (stateless).
/// </remarks>
internal static class RuntimeRetry
{
    /// <summary>How long a call keeps retrying (30 s, as docs/runtime.md says).</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(1);

    /// <summary>Runs <paramref name="call"/> against <paramref name="server"/> (e.g. "NATS at nats://…"), retrying transient failures.</summary>
    /// <remarks>Preferred for an <c>async</c> lambda, which fits both this and the <see cref="Task{T}"/> overload.</remarks>
    [OverloadResolutionPriority(1)]
    public static async ValueTask<T> RunAsync<T>(string server, Func<ValueTask<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var started = TimeProvider.System.GetTimestamp();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (Exception ex) when (IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                await PauseAsync(server, ex, started, attempt, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The same with the call's arguments as <paramref name="state"/>: on the hot paths a static lambda does the
    /// call, so no closure is allocated per command.</summary>
    public static async Task<T> RunAsync<TState, T>(string server, TState state, Func<TState, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var started = TimeProvider.System.GetTimestamp();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call(state).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                await PauseAsync(server, ex, started, attempt, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs <paramref name="call"/>, retrying transient failures.</summary>
    public static Task<T> RunAsync<T>(string server, Func<Task<T>> call, CancellationToken cancellationToken) =>
        RunAsync(server, call, static c => c(), cancellationToken);

    /// <summary>The pause before retry number <paramref name="attempt"/> + 1: 100 ms, doubling, at most 1 s.</summary>
    public static TimeSpan Pause(int attempt) =>
        attempt >= 4 ? LongestPause : TimeSpan.FromTicks(Math.Min(LongestPause.Ticks, FirstPause.Ticks << attempt));

    /// <summary>Whether <paramref name="ex"/> means the server is away or busy for now (worth a retry).</summary>
    /// <remarks>
    /// By exception type, and a server's answer only by its error code, never by message text. Never a caller's cancellation.
    /// <para>NATS: no reply in time (<see cref="NatsJSApiNoResponseException"/>, <see cref="NatsJSPublishNoResponseException"/>,
    /// <see cref="NatsJSTimeoutException"/>, <see cref="NatsNoReplyException"/>, <see cref="NatsTimeoutException"/>), nobody
    /// listening yet (<see cref="NatsNoRespondersException"/>), the connection down (<see cref="NatsConnectionFailedException"/>,
    /// <see cref="NatsJSConnectionException"/>, the client's bare <see cref="NatsException"/>), a KV read answered by a status
    /// reply instead of an entry (the bare <see cref="NatsKVException"/>; its subclasses — wrong last revision, key not found
    /// or deleted — are answers), and JetStream API errors that say "try again": 503 (not ready, no leader), 408 (request
    /// timed out), 10008 (temporarily unavailable).</para>
    /// <para>Redis: the connection down or a reply not in time (<see cref="RedisConnectionException"/>,
    /// <see cref="RedisTimeoutException"/>), and the server errors LOADING (reading its append-only file), NOSCRIPT
    /// (restarted without the script cache), MASTERDOWN and TRYAGAIN (failover).</para>
    /// <para>Both: <see cref="TimeoutException"/>, socket and I/O errors.</para>
    /// </remarks>
    public static bool IsTransient(Exception ex) => ex switch
    {
        OperationCanceledException => false,
        NatsJSApiException api => api.Error.Code is 503 or 408 || api.Error.ErrCode == 10008,
        NatsJSApiNoResponseException or NatsJSPublishNoResponseException or NatsJSTimeoutException or NatsJSConnectionException => true,
        NatsNoRespondersException or NatsNoReplyException or NatsTimeoutException or NatsConnectionFailedException => true,
        NatsException when ex.GetType() == typeof(NatsException) => true, // the client's own "not connected" kinds
        NatsKVException when ex.GetType() == typeof(NatsKVException) => true, // a KV read answered by a status, not an entry
        RedisConnectionException or RedisTimeoutException => true,
        RedisServerException s => ErrorCode(s.Message) is "LOADING" or "NOSCRIPT" or "MASTERDOWN" or "TRYAGAIN",
        TimeoutException or SocketException or IOException => true,
        _ => false,
    };

    private static async Task PauseAsync(string server, Exception ex, long started, int attempt, CancellationToken cancellationToken)
    {
        if (TimeProvider.System.GetElapsedTime(started) > Budget)
        {
            throw new RuntimeUnavailableException($"Lost the connection to {server} for more than {Budget.TotalSeconds:0} s: {ex.Message}", ex);
        }

        await Task.Delay(Pause(attempt), cancellationToken).ConfigureAwait(false);
    }

    private static string ErrorCode(string message)
    {
        var space = message.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? message : message[..space];
    }
}
