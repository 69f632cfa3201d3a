using System.Net.Sockets;
using Memfun.Engine.Runtime;
using StackExchange.Redis;

namespace Memfun.Engine.Tests.Runtime;

/// <summary>The one retry policy of the NATS and Redis tiers: one classification, one back-off, one budget.</summary>
public sealed class RuntimeRetryTests
{
    [Fact]
    public void The_pause_doubles_from_100_ms_to_at_most_1_s()
    {
        Assert.Equal([100, 200, 400, 800, 1000, 1000], Enumerable.Range(0, 6).Select(a => RuntimeRetry.Pause(a).TotalMilliseconds));
    }

    [Fact]
    public void Both_tiers_share_one_classification_of_transient_failures()
    {
        Assert.True(RuntimeRetry.IsTransient(new RedisConnectionException(ConnectionFailureType.SocketFailure, "down")));
        Assert.True(RuntimeRetry.IsTransient(new NATS.Client.Core.NatsNoRespondersException()));
        Assert.True(RuntimeRetry.IsTransient(new IOException("reset")));
        Assert.True(RuntimeRetry.IsTransient(new SocketException((int)SocketError.ConnectionRefused)));
        Assert.True(RuntimeRetry.IsTransient(new RedisServerException("LOADING Redis is loading the dataset in memory")));
        Assert.False(RuntimeRetry.IsTransient(new RedisServerException("WRONGTYPE Operation against a key holding the wrong kind of value")));
        Assert.False(RuntimeRetry.IsTransient(new OperationCanceledException()));
    }

    [Fact]
    public async Task A_transient_failure_is_retried_until_the_call_answers()
    {
        var calls = 0;
        var value = await RuntimeRetry.RunAsync("Redis at test", () => ++calls < 3 ? throw new TimeoutException("slow") : Task.FromResult(42), CancellationToken.None);

        Assert.Equal(42, value);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task A_caller_who_cancelled_gets_the_failure_at_once_on_either_overload()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var calls = 0;

        await Assert.ThrowsAsync<TimeoutException>(() => RuntimeRetry.RunAsync("Redis at test", (Func<Task<int>>)(() => { calls++; throw new TimeoutException("slow"); }), cancelled.Token));
        await Assert.ThrowsAsync<TimeoutException>(async () => await RuntimeRetry.RunAsync("NATS at test", (Func<ValueTask<int>>)(() => { calls++; throw new TimeoutException("slow"); }), cancelled.Token));

        Assert.Equal(2, calls);
    }
}
