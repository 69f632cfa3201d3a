using System.Net.Sockets;
using Memfun.Engine.Runtime.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;

namespace Memfun.Engine.Runtime.Nats;

/// <summary>Retries a JetStream call while the server is away (restart, leader change), for up to a budget.</summary>
/// <remarks>The connection reconnects by itself; this keeps a call alive across the gap. A retried publish may have
/// been stored before the reply was lost: events are at-least-once; tasks with an idempotency key are deduplicated.</remarks>
internal static class NatsRetry
{
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);

    public static async ValueTask<T> RunAsync<T>(string address, Func<ValueTask<T>> call, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        while (true)
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (Exception ex) when (IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                if (DateTime.UtcNow - started > Budget)
                {
                    throw new RuntimeUnavailableException(
                        $"Lost the connection to NATS at {address} for more than {Budget.TotalSeconds:0} s: {ex.Message}", ex);
                }

                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Whether <paramref name="ex"/> means the server is away or busy for now (worth a retry).</summary>
    /// <remarks>By exception type, never by message text: no reply in time (<see cref="NatsJSApiNoResponseException"/>,
    /// <see cref="NatsJSPublishNoResponseException"/>, <see cref="NatsJSTimeoutException"/>, <see cref="NatsNoReplyException"/>,
    /// <see cref="NatsTimeoutException"/>, <see cref="TimeoutException"/>), nobody listening yet
    /// (<see cref="NatsNoRespondersException"/>), the connection down (<see cref="NatsConnectionFailedException"/>,
    /// <see cref="NatsJSConnectionException"/>, socket errors, the client's bare <see cref="NatsException"/>), a KV read answered by a status reply instead of an entry (the bare
    /// <see cref="NatsKVException"/>; its subclasses — wrong last revision, key not found or deleted — are answers), and JetStream API errors that say "try again":
    /// 503 (JetStream not ready, no leader), 408 (request timed out), 10008 (JetStream temporarily unavailable).
    /// A caller's cancellation is never transient.</remarks>
    public static bool IsTransient(Exception ex) => ex switch
    {
        OperationCanceledException => false,
        NatsJSApiException api => api.Error.Code is 503 or 408 || api.Error.ErrCode == 10008,
        NatsJSApiNoResponseException or NatsJSPublishNoResponseException or NatsJSTimeoutException or NatsJSConnectionException => true,
        NatsNoRespondersException or NatsNoReplyException or NatsTimeoutException or NatsConnectionFailedException => true,
        TimeoutException or SocketException or IOException => true,
        NatsException when ex.GetType() == typeof(NatsException) => true, // the client's own "not connected" kinds
        NatsKVException when ex.GetType() == typeof(NatsKVException) => true, // a KV read answered by a status, not an entry
        _ => false,
    };
}
