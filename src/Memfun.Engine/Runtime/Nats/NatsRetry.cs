using Memfun.Engine.Runtime.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;

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

    /// <summary>Whether <paramref name="ex"/> means the server is away for now (worth a retry).</summary>
    public static bool IsTransient(Exception ex) => ex switch
    {
        NatsNoRespondersException => true,
        NatsJSApiException api => api.Error.Code is 503 or 408 || api.Error.ErrCode == 10008,
        NatsJSException js => js.Message.Contains("timeout", StringComparison.OrdinalIgnoreCase) || js.Message.Contains("no response", StringComparison.OrdinalIgnoreCase),
        NatsException => true,
        TimeoutException => true,
        OperationCanceledException => false,
        _ => false,
    };
}
