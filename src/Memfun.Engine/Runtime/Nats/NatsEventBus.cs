using Memfun.Engine.Runtime.Abstractions;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Memfun.Engine.Runtime.Nats;

/// <summary>The NATS bus: one stream (<c>{PREFIX}_EVENTS</c> over <c>{prefix}.ev.&gt;</c>); a subscription is a pull
/// consumer filtered to its pattern, removed on dispose (or after a minute idle).</summary>
internal sealed class NatsEventBus(NatsBackend backend) : IEventBus
{
    private readonly string _stream = backend.Prefix + "_EVENTS";
    private readonly string _subjectPrefix = backend.Prefix + ".ev.";
    private Task? _ready;

    public bool IsDurable => true;

    public ValueTask<long> PublishAsync(string topic, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        PublishCoreAsync(topic, data, null, cancellationToken);

    /// <summary>With an id, JetStream's <c>Nats-Msg-Id</c>: the stream drops a second message with the same id within
    /// its duplicate window, so a publish retried after its reply was lost (the server stored it, then died) is
    /// stored once.</summary>
    public ValueTask<long> PublishAsync(string topic, ReadOnlyMemory<byte> data, string deduplicationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(deduplicationId);
        return PublishCoreAsync(topic, data, new NatsJSPubOpts { MsgId = deduplicationId }, cancellationToken);
    }

    private async ValueTask<long> PublishCoreAsync(string topic, ReadOnlyMemory<byte> data, NatsJSPubOpts? opts, CancellationToken cancellationToken)
    {
        TopicPattern.ValidateTopic(topic);
        await EnsureStreamAsync(cancellationToken).ConfigureAwait(false);
        var subject = _subjectPrefix + topic;
        var ack = await RuntimeRetry.RunAsync(backend.Server,
            () => backend.JetStream.PublishAsync(subject, data, opts: opts, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        // A duplicate was stored before under its id (our own first attempt, its reply lost): done, at that sequence.
        if (!ack.Duplicate)
        {
            ack.EnsureSuccess();
        }

        return (long)ack.Seq;
    }

    public async ValueTask<IRuntimeSubscription<BusEvent>> SubscribeAsync(string pattern, SubscribeOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= SubscribeOptions.Default;
        var parsed = TopicPattern.Parse(pattern);
        await EnsureStreamAsync(cancellationToken).ConfigureAwait(false);
        var config = new ConsumerConfig
        {
            Name = "sub_" + Guid.NewGuid().ToString("N"),
            FilterSubject = _subjectPrefix + parsed.Text,
            AckPolicy = ConsumerConfigAckPolicy.None,
            InactiveThreshold = TimeSpan.FromMinutes(1),
            DeliverPolicy = options.From switch
            {
                null => ConsumerConfigDeliverPolicy.New,
                <= 1 => ConsumerConfigDeliverPolicy.All,
                _ => ConsumerConfigDeliverPolicy.ByStartSequence,
            },
        };
        if (options.From is > 1 and var from)
        {
            config.OptStartSeq = (ulong)from;
        }
        else if (options.From is null)
        {
            // "From now" is the stream leader's last sequence, not DeliverPolicy.New: on a cluster the consumer's leader
            // may be a replica that has not applied an acknowledged publish yet, and New would then deliver it.
            var stream = await RuntimeRetry.RunAsync(backend.Server,
                () => backend.JetStream.GetStreamAsync(_stream, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
            config.DeliverPolicy = ConsumerConfigDeliverPolicy.ByStartSequence;
            config.OptStartSeq = stream.Info.State.LastSeq + 1;
        }

        var consumer = await RuntimeRetry.RunAsync(backend.Server,
            () => backend.JetStream.CreateOrUpdateConsumerAsync(_stream, config, cancellationToken), cancellationToken).ConfigureAwait(false);
        var sub = new ChannelSubscription<BusEvent>(options.BufferCapacity);
        var prefixLength = _subjectPrefix.Length;
        sub.Start(async ct =>
        {
            await foreach (var msg in consumer.ConsumeAsync<byte[]>(opts: new NatsJSConsumeOpts { MaxMsgs = 1000 }, cancellationToken: ct).ConfigureAwait(false))
            {
                var meta = msg.Metadata!.Value;
                var item = new BusEvent(msg.Subject[prefixLength..], msg.Data ?? [], (long)meta.Sequence.Stream, meta.Timestamp);
                if (!sub.Writer.TryWrite(item))
                {
                    await sub.Writer.WriteAsync(item, ct).ConfigureAwait(false);
                }
            }
        }, async () =>
        {
            try
            {
                await backend.JetStream.DeleteConsumerAsync(_stream, config.Name, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NatsJSException or NATS.Client.Core.NatsException)
            {
                // Gone already, or the server is away: the inactive threshold removes it.
            }
        });
        return sub;
    }

    private Task EnsureStreamAsync(CancellationToken cancellationToken)
    {
        var ready = _ready;
        if (ready is { IsCompletedSuccessfully: true })
        {
            return ready;
        }

        return _ready = NatsStreams.EnsureStreamAsync(backend, new StreamConfig(_stream, [_subjectPrefix + ">"])
        {
            Storage = StreamConfigStorage.File,
            Retention = StreamConfigRetention.Limits,
            MaxMsgs = 1_000_000,
        }, cancellationToken);
    }
}
