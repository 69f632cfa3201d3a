using System.Threading.Channels;
using Memfun.Engine.Runtime.Abstractions;
using StackExchange.Redis;

namespace Memfun.Engine.Runtime.Redis;

/// <summary>The Redis bus: every event is an entry of one stream (<c>{prefix}:events</c>, capped near
/// <see cref="MaxLength"/>); subscribers read it from their position and filter topics themselves.</summary>
internal sealed class RedisEventBus(RedisBackend backend) : IEventBus
{
    private const int MaxLength = 1_000_000;
    private readonly RedisKey _stream = backend.Key("events");
    private readonly Pulse _published = new();

    public bool IsDurable => true;

    public async ValueTask<long> PublishAsync(string topic, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        TopicPattern.ValidateTopic(topic);
        var fields = new NameValueEntry[] { new("t", topic), new("d", data) };
        var id = await RedisRetry.RunAsync(backend.Address,
            () => backend.Database.StreamAddAsync(_stream, fields, null, MaxLength, useApproximateMaxLength: true), cancellationToken).ConfigureAwait(false);
        _published.Ring();
        return RedisStreamIds.ToSequence(id!);
    }

    public async ValueTask<IRuntimeSubscription<BusEvent>> SubscribeAsync(string pattern, SubscribeOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= SubscribeOptions.Default;
        var parsed = TopicPattern.Parse(pattern);
        string start;
        if (options.From is { } from)
        {
            start = from <= 0 ? "-" : RedisStreamIds.FromSequence(from);
        }
        else
        {
            var last = await RedisRetry.RunAsync(backend.Address,
                () => backend.Database.StreamRangeAsync(_stream, "-", "+", 1, Order.Descending), cancellationToken).ConfigureAwait(false);
            start = "(" + (last.Length > 0 ? (string)last[0].Id! : "0-0");
        }

        var sub = new ChannelSubscription<BusEvent>(options.BufferCapacity);
        sub.Start(ct => PollAsync(parsed, start, sub.Writer, ct));
        return sub;
    }

    private async Task PollAsync(TopicPattern pattern, string start, ChannelWriter<BusEvent> writer, CancellationToken cancellationToken)
    {
        var idle = 1;
        while (!cancellationToken.IsCancellationRequested)
        {
            var next = _published.Next;
            var from = start;
            var entries = await RedisRetry.RunAsync(backend.Address,
                () => backend.Database.StreamRangeAsync(_stream, from, "+", 1000), cancellationToken).ConfigureAwait(false);
            foreach (var e in entries)
            {
                var topic = (string)e["t"]!;
                if (pattern.Matches(topic))
                {
                    var seq = RedisStreamIds.ToSequence(e.Id!);
                    var item = new BusEvent(topic, (byte[])e["d"]!, seq, DateTimeOffset.FromUnixTimeMilliseconds(seq >> 20));
                    if (!writer.TryWrite(item))
                    {
                        await writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            if (entries.Length > 0)
            {
                start = "(" + (string)entries[^1].Id!;
                idle = 1;
                continue;
            }

            await Pulse.WaitAsync(next, TimeSpan.FromMilliseconds(idle), cancellationToken).ConfigureAwait(false);
            idle = Math.Min(idle * 2, 20);
        }
    }
}
