using Memfun.Engine.Runtime.Abstractions;

namespace Memfun.Engine.Runtime.InProcess;

/// <summary>The in-process bus: one channel per subscription, nothing kept.</summary>
internal sealed class InProcessEventBus : IEventBus
{
    private readonly Lock _gate = new();
    private Subscriber[] _subscribers = [];
    private long _sequence;

    public bool IsDurable => false;

    public ValueTask<long> PublishAsync(string topic, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        TopicPattern.ValidateTopic(topic);
        var sequence = Interlocked.Increment(ref _sequence);
        var subscribers = Volatile.Read(ref _subscribers);
        if (subscribers.Length == 0)
        {
            return ValueTask.FromResult(sequence);
        }

        var item = new BusEvent(topic, data.ToArray(), sequence, DateTimeOffset.UtcNow);
        List<Task>? waits = null;
        foreach (var s in subscribers)
        {
            if (!s.Pattern.Matches(topic))
            {
                continue;
            }

            // Unbounded channels are the fast path; a subscriber more than its capacity behind makes publishers wait.
            if (s.Subscription.Backlog >= s.Capacity || !s.Subscription.TryWriteCounted(item))
            {
                (waits ??= []).Add(WriteSlowAsync(s, item, cancellationToken));
            }
        }

        return waits is null ? ValueTask.FromResult(sequence) : new ValueTask<long>(AwaitAll(waits, sequence));
    }

    public ValueTask<IRuntimeSubscription<BusEvent>> SubscribeAsync(string pattern, SubscribeOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= SubscribeOptions.Default;
        if (options.From is not null)
        {
            throw new NotSupportedException("The in-process event bus keeps no events, so it cannot replay from a position; use the sqlite, redis or nats tier for durable replay.");
        }

        var parsed = TopicPattern.Parse(pattern);
        var subscription = new ChannelSubscription<BusEvent>(0, singleWriter: false);
        var subscriber = new Subscriber(parsed, subscription, Math.Max(1, options.BufferCapacity));
        lock (_gate)
        {
            _subscribers = [.. _subscribers, subscriber];
        }

        subscription.OnDispose(() =>
        {
            lock (_gate)
            {
                _subscribers = [.. _subscribers.Where(s => s != subscriber)];
            }

            return ValueTask.CompletedTask;
        });
        return ValueTask.FromResult<IRuntimeSubscription<BusEvent>>(subscription);
    }

    private static async Task WriteSlowAsync(Subscriber s, BusEvent item, CancellationToken cancellationToken)
    {
        try
        {
            while (s.Subscription.Backlog >= s.Capacity && !s.Subscription.Stopping.IsCancellationRequested)
            {
                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            }

            if (!s.Subscription.TryWriteCounted(item))
            {
                return; // completed: the subscriber went away
            }
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            // The subscriber went away while we waited.
        }
    }

    private static async Task<long> AwaitAll(List<Task> waits, long sequence)
    {
        await Task.WhenAll(waits).ConfigureAwait(false);
        return sequence;
    }

    private sealed record Subscriber(TopicPattern Pattern, ChannelSubscription<BusEvent> Subscription, int Capacity);
}
