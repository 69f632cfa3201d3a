using Memfun.Engine.Runtime.Abstractions;
using StackExchange.Redis;
using static Memfun.Engine.Runtime.Redis.RedisTailReader;

namespace Memfun.Engine.Runtime.Redis;

/// <summary>The Redis bus: every event is an entry of one stream (<c>{prefix}:events</c>, capped near
/// <see cref="MaxLength"/>); subscribers read it from their position and filter topics themselves.</summary>
/// <remarks>Each subscription catches up with XRANGE from its position, then goes live: a <see cref="RedisTailReader"/>
/// blocked in <c>XREAD</c> on a connection of its own hands it new entries as the server appends them, whichever
/// process published them. A subscription that falls behind (its buffer full) or loses the reader (a server restart)
/// goes back to XRANGE from its last delivered event; see <see cref="RedisTailReader"/> for the contract.</remarks>
internal sealed class RedisEventBus : IEventBus, IAsyncDisposable
{
    private const int MaxLength = 1_000_000;

    /// <summary>How long a deduplication id is remembered (as JetStream's default duplicate window).</summary>
    private static readonly TimeSpan DeduplicationWindow = TimeSpan.FromMinutes(2);

    private const string DeduplicatedAddScript = """
        local seen = redis.call('GET', KEYS[2])
        if seen then return seen end
        local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 't', ARGV[1], 'd', ARGV[2])
        redis.call('SET', KEYS[2], id, 'PX', ARGV[4])
        return id
        """;
    private readonly RedisBackend _backend;
    private readonly RedisKey _stream;
    private readonly Doorbell _published = new();
    private readonly RedisTailReader _tail;

    public RedisEventBus(RedisBackend backend)
    {
        _backend = backend;
        _stream = backend.Key("events");
        _tail = new RedisTailReader(backend, _stream, _published);
    }

    public bool IsDurable => true;

    /// <summary>How many subscriptions the tail reader feeds now (the others are catching up), for tests.</summary>
    internal int LiveSubscriptions => _tail.LiveCount;

    public async ValueTask<long> PublishAsync(string topic, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        TopicPattern.ValidateTopic(topic);
        var fields = new NameValueEntry[] { new("t", topic), new("d", data) };
        var id = await RuntimeRetry.RunAsync(_backend.Server,
            () => _backend.Database.StreamAddAsync(_stream, fields, null, MaxLength, useApproximateMaxLength: true), cancellationToken).ConfigureAwait(false);
        _published.Ring();
        return RedisStreamIds.ToSequence(id!);
    }

    /// <summary>With an id: one script looks for the id's key and appends only when it is not there, then keeps the
    /// entry's id under it for <see cref="DeduplicationWindow"/>, so a retried publish (its reply lost) or a second
    /// announcer gets the first entry's sequence instead of a second entry.</summary>
    public async ValueTask<long> PublishAsync(string topic, ReadOnlyMemory<byte> data, string deduplicationId, CancellationToken cancellationToken = default)
    {
        TopicPattern.ValidateTopic(topic);
        ArgumentException.ThrowIfNullOrEmpty(deduplicationId);
        RedisKey[] keys = [_stream, _backend.Key("events-dedup:" + deduplicationId)];
        RedisValue[] args = [topic, data, MaxLength, (long)DeduplicationWindow.TotalMilliseconds];
        var id = await RuntimeRetry.RunAsync(_backend.Server,
            () => _backend.Database.ScriptEvaluateAsync(DeduplicatedAddScript, keys, args), cancellationToken).ConfigureAwait(false);
        _published.Ring();
        return RedisStreamIds.ToSequence((string)id!);
    }

    public async ValueTask<IRuntimeSubscription<BusEvent>> SubscribeAsync(string pattern, SubscribeOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= SubscribeOptions.Default;
        var parsed = TopicPattern.Parse(pattern);
        StreamId position;
        if (options.From is { } from)
        {
            position = from <= 0 ? default : StreamId.Before(from);
        }
        else
        {
            var last = await RuntimeRetry.RunAsync(_backend.Server,
                () => _backend.Database.StreamRangeAsync(_stream, "-", "+", 1, Order.Descending), cancellationToken).ConfigureAwait(false);
            position = last.Length > 0 ? StreamId.Parse(last[0].Id!) : default;
        }

        _tail.EnsureStarted();
        var sub = new ChannelSubscription<BusEvent>(options.BufferCapacity);
        var follower = new Follower(parsed, sub.Writer, position);
        sub.Start(ct => FollowAsync(follower, ct));
        return sub;
    }

    /// <summary>Stops the tail reader and closes its connection.</summary>
    public ValueTask DisposeAsync() => _tail.DisposeAsync();

    /// <summary>One subscription's loop: XRANGE from its position until the end of the stream, then live (fed by the
    /// tail reader) until demoted, and so on.</summary>
    private async Task FollowAsync(Follower follower, CancellationToken cancellationToken)
    {
        var idle = 1;
        StreamId? refusedAt = null;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var next = _published.Next;
                var from = "(" + follower.Position.ToString();
                var entries = await RuntimeRetry.RunAsync(_backend.Server,
                    () => _backend.Database.StreamRangeAsync(_stream, from, "+", 1000), cancellationToken).ConfigureAwait(false);
                foreach (var e in entries)
                {
                    var idText = (string)e.Id!;
                    var topic = (string?)e["t"];
                    if (topic is not null && follower.Pattern.Matches(topic))
                    {
                        var seq = RedisStreamIds.ToSequence(idText);
                        var item = new BusEvent(topic, (byte[]?)e["d"] ?? [], seq, DateTimeOffset.FromUnixTimeMilliseconds(seq >> 20));
                        if (!follower.Writer.TryWrite(item))
                        {
                            await follower.Writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
                        }
                    }

                    follower.Position = StreamId.Parse(idText);
                }

                if (entries.Length > 0)
                {
                    idle = 1;
                    continue;
                }

                if (_tail.TryGoLive(follower))
                {
                    await follower.Demoted.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                    idle = 1;
                    continue;
                }

                // Refused because the reader is ahead: what it read is in the stream, read it now (once per position,
                // so an entry deleted under us cannot make this spin).
                if (_tail.IsHealthy && refusedAt != follower.Position)
                {
                    refusedAt = follower.Position;
                    continue;
                }

                await Doorbell.WaitAsync(next, TimeSpan.FromMilliseconds(idle), cancellationToken).ConfigureAwait(false);
                idle = Math.Min(idle * 2, 20);
            }
        }
        finally
        {
            _tail.Leave(follower);
        }
    }
}
