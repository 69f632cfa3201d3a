using Memfun.Engine.Runtime.Abstractions;
using StackExchange.Redis;

namespace Memfun.Engine.Runtime.Redis;

/// <summary>Retries a Redis call while the connection is down (a server restart), for up to a budget.</summary>
/// <remarks>The multiplexer reconnects by itself; this only keeps a call alive across the gap. A retried write may
/// have been applied before the connection dropped, so retried publishes are at-least-once.</remarks>
internal static class RedisRetry
{
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);

    /// <summary>Runs <paramref name="call"/>, and again every 100 ms while the connection is down, for up to <see cref="Budget"/>.</summary>
    public static Task<T> RunAsync<T>(string address, Func<Task<T>> call, CancellationToken cancellationToken) =>
        RunAsync(address, call, static c => c(), cancellationToken);

    /// <summary>The same with the call's arguments as <paramref name="state"/>: on the hot paths a static lambda does the
    /// call, so no closure is allocated per command.</summary>
    public static async Task<T> RunAsync<TState, T>(string address, TState state, Func<TState, Task<T>> call, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        while (true)
        {
            try
            {
                return await call(state).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsTransient(ex))
            {
                if (DateTime.UtcNow - started > Budget)
                {
                    throw new RuntimeUnavailableException(
                        $"Lost the connection to Redis at {address} for more than {Budget.TotalSeconds:0} s: {ex.Message}", ex);
                }

                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Whether the failure is the connection being down, a reply not in time, or the server not ready yet, worth a retry.</summary>
    /// <remarks>By exception type; a server error only by its error code (the reply's first word): LOADING (reading its
    /// append-only file), NOSCRIPT (restarted without the script cache), MASTERDOWN and TRYAGAIN (failover).</remarks>
    public static bool IsTransient(Exception ex) => ex switch
    {
        RedisConnectionException or RedisTimeoutException or TimeoutException => true,
        RedisServerException s => ErrorCode(s.Message) is "LOADING" or "NOSCRIPT" or "MASTERDOWN" or "TRYAGAIN",
        _ => false,
    };

    private static string ErrorCode(string message)
    {
        var space = message.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? message : message[..space];
    }
}
