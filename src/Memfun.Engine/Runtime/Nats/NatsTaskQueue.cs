using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Memfun.Engine.Runtime.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Memfun.Engine.Runtime.Nats;

/// <summary>The NATS task queue: a work-queue stream (<c>{PREFIX}_TASKS</c>), one durable pull consumer per kind and
/// priority with explicit ack and ack-wait = the visibility timeout; dead tasks go to <c>{PREFIX}_DEAD</c>.</summary>
/// <remarks>A message's body is the task id and the payload (<see cref="NatsTaskFrame"/>); the id is not a header,
/// which NATS.Net writes and parses at a measurable cost per message. Attempts are the server's delivery count.
/// Idempotency keys are the message id, so JetStream drops
/// duplicates within the stream's duplicate window (2 minutes). A lease sends no-wait pull requests, priority by
/// priority, through a <see cref="NatsPuller"/> kept per consumer (one inbox for its life); nothing is prefetched.
/// High and low priorities are pulled only when their <see cref="NatsDoorbells">doorbell</see> rang since they were last
/// found empty, or that was over 100 ms ago. Acknowledgements go straight to the reply subject (<see cref="NatsDelivery"/>).
/// Leases in this process wake at once on an enqueue from this process, and in every process on a high or low
/// priority bell; otherwise they poll with a back-off up to 50 ms.
/// The enqueue time is the stream's timestamp of the message (a retry keeps the original message).</remarks>
internal sealed class NatsTaskQueue : ITaskQueue
{
    private const string IdHeader = "Memfun-Task-Id";
    private const string EnqueuedHeader = "Memfun-Enqueued";

    private readonly NatsBackend _backend;
    private readonly string _tasksStream;
    private readonly string _deadStream;
    private readonly ConcurrentDictionary<(string Kind, int Priority), Task<NatsPuller>> _pullers = new();
    private readonly Doorbell _enqueued = new();
    private Task? _streams;

    public NatsTaskQueue(NatsBackend backend, TaskQueueOptions options)
    {
        _backend = backend;
        Options = options;
        _tasksStream = backend.Prefix + "_TASKS";
        _deadStream = backend.Prefix + "_DEAD";
        Doorbells = new NatsDoorbells(backend.JetStream.Connection, backend.Prefix, _enqueued.Ring);
    }

    public TaskQueueOptions Options { get; }

    /// <summary>The bells of the high and low priorities (see <see cref="NatsDoorbells"/>).</summary>
    internal NatsDoorbells Doorbells { get; }

    public async ValueTask<string> EnqueueAsync(TaskRequest request, CancellationToken cancellationToken = default)
    {
        var id = RuntimeNames.TaskIdOf(request);
        await EnsureStreamsAsync(cancellationToken).ConfigureAwait(false);
        var opts = request.IdempotencyKey is null ? null : new NatsJSPubOpts { MsgId = id };
        var subject = Subject(request.Kind, (int)request.Priority);
        var body = NatsTaskFrame.Encode(id, request.Payload.Span);
        PubAckResponse ack;
        try
        {
            // The first attempt without the retry loop's closure and state machine: enqueue is the hot path.
            ack = await _backend.JetStream.PublishAsync(subject, body, opts: opts, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (RuntimeRetry.IsTransient(ex) && !cancellationToken.IsCancellationRequested)
        {
            ack = await Run(() => _backend.JetStream.PublishAsync(subject, body, opts: opts, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        if (ack.Error is { } error)
        {
            throw new NatsJSApiException(error);
        }

        if (PriorityDoorbells.HasBell((int)request.Priority))
        {
            await Doorbells.RingAsync(request.Kind, (int)request.Priority, cancellationToken).ConfigureAwait(false);
        }

        _enqueued.Ring();
        return id;
    }

    public async ValueTask<IReadOnlyList<TaskLease>> LeaseAsync(IReadOnlyList<string> kinds, int maxCount, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        foreach (var k in kinds)
        {
            RuntimeNames.ValidateKind(k);
        }

        Doorbells.Listen();
        var deadline = DateTime.UtcNow + wait;
        var idle = 2;
        while (true)
        {
            var next = _enqueued.Next;
            var leased = new List<TaskLease>();
            foreach (var kind in kinds)
            {
                for (var p = 0; p < 3 && leased.Count < maxCount; p++)
                {
                    if (!Doorbells.MayHaveWork(kind, p))
                    {
                        continue;
                    }

                    var rings = Doorbells.Rings(kind, p);
                    var puller = await PullerAsync(kind, p, cancellationToken).ConfigureAwait(false);
                    var want = maxCount - leased.Count;
                    var got = await Run(async () => await puller.FetchAsync(want, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                    if (got.Count < want)
                    {
                        Doorbells.FoundEmpty(kind, p, rings);
                    }

                    foreach (var msg in got)
                    {
                        await DeliverAsync(kind, p, msg, leased, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            if (leased.Count > 0)
            {
                return leased;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return leased;
            }

            var nap = TimeSpan.FromMilliseconds(idle);
            await Doorbell.WaitAsync(next, left < nap ? left : nap, cancellationToken).ConfigureAwait(false);
            idle = Math.Min(idle * 2, 50);
        }
    }

    public async ValueTask<bool> AckAsync(TaskLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await NatsDelivery.AckAsync(_backend.JetStream.Connection, (string)lease.Handle!, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async ValueTask NackAsync(TaskLease lease, TimeSpan retryDelay, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var replyTo = (string)lease.Handle!;
        if (lease.Attempt >= Options.MaxAttempts)
        {
            await DeadLetterAsync(lease.Kind, lease.Id, lease.Payload, lease.Attempt, reason, replyTo, cancellationToken).ConfigureAwait(false);
            return;
        }

        await NatsDelivery.NakAsync(_backend.JetStream.Connection, replyTo, retryDelay, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask ExtendAsync(TaskLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await NatsDelivery.ProgressAsync(_backend.JetStream.Connection, (string)lease.Handle!, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<DeadTask> ListDeadAsync(string kind, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        RuntimeNames.ValidateKind(kind);
        await EnsureStreamsAsync(cancellationToken).ConfigureAwait(false);
        var config = new ConsumerConfig
        {
            Name = "dead_" + Guid.NewGuid().ToString("N"),
            FilterSubject = _backend.Prefix + ".dead." + kind,
            AckPolicy = ConsumerConfigAckPolicy.None,
            DeliverPolicy = ConsumerConfigDeliverPolicy.All,
            InactiveThreshold = TimeSpan.FromSeconds(30),
        };
        var consumer = await _backend.JetStream.CreateOrUpdateConsumerAsync(_deadStream, config, cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var batch = new List<DeadTask>();
                await foreach (var msg in consumer.FetchNoWaitAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = 500 }, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    var h = msg.Headers!;
                    batch.Add(new DeadTask(h[IdHeader].ToString(), kind, msg.Data ?? [], int.Parse(h["Memfun-Attempts"].ToString(), CultureInfo.InvariantCulture),
                        h.TryGetValue("Memfun-Reason", out var r) ? r.ToString() : null, msg.Metadata!.Value.Timestamp));
                }

                foreach (var d in batch)
                {
                    yield return d;
                }

                if (batch.Count == 0)
                {
                    break;
                }
            }
        }
        finally
        {
            try
            {
                await _backend.JetStream.DeleteConsumerAsync(_deadStream, config.Name, CancellationToken.None).ConfigureAwait(false);
            }
            catch (NatsJSException)
            {
                // The inactive threshold removes it.
            }
        }
    }

    private async Task DeliverAsync(string kind, int priority, NatsMsg<byte[]> msg, List<TaskLease> leased, CancellationToken cancellationToken)
    {
        var replyTo = msg.ReplyTo!; // the puller hands over only messages with a $JS.ACK reply subject
        if (!NatsDelivery.TryParse(replyTo, out var delivery))
        {
            throw new NatsJSException($"JetStream delivered a task with an acknowledgement subject this version cannot read: {replyTo}");
        }

        var attempt = delivery.Delivered;
        var data = msg.Data ?? [];
        string id;
        ReadOnlyMemory<byte> payload;
        if (msg.Headers is { } legacy && legacy.TryGetValue(IdHeader, out var header))
        {
            (id, payload) = (header.ToString(), data); // written before the id moved into the body
        }
        else if (!NatsTaskFrame.TryDecode(data, out id, out payload))
        {
            (id, payload) = (delivery.StreamSequence.ToString(CultureInfo.InvariantCulture), data); // not ours: keep it whole
        }

        if (attempt > Options.MaxAttempts)
        {
            await DeadLetterAsync(kind, id, payload, attempt - 1, "lease expired on the last attempt", replyTo, cancellationToken).ConfigureAwait(false);
            return;
        }

        var enqueued = msg.Headers is { } h && h.TryGetValue(EnqueuedHeader, out var e) && long.TryParse(e.ToString(), CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : delivery.Stored;
        leased.Add(new TaskLease(id, kind, payload, (TaskPriority)priority, attempt, enqueued) { Handle = replyTo });
    }

    private async Task DeadLetterAsync(string kind, string id, ReadOnlyMemory<byte> payload, int attempts, string? reason, string replyTo, CancellationToken cancellationToken)
    {
        var headers = new NatsHeaders
        {
            [IdHeader] = id,
            ["Memfun-Attempts"] = attempts.ToString(CultureInfo.InvariantCulture),
        };
        if (reason is not null)
        {
            headers["Memfun-Reason"] = reason.ReplaceLineEndings(" ");
        }

        var subject = _backend.Prefix + ".dead." + kind;
        await Run(() => _backend.JetStream.PublishAsync(subject, payload, headers: headers, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        await NatsDelivery.AckAsync(_backend.JetStream.Connection, replyTo, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The puller of the kind and priority's consumer, made (with the consumer) on first use and again after
    /// the server reported the consumer missing.</summary>
    private async Task<NatsPuller> PullerAsync(string kind, int priority, CancellationToken cancellationToken)
    {
        var key = (kind, priority);
        var task = _pullers.GetOrAdd(key, k => CreatePullerAsync(k.Item1, k.Item2, cancellationToken));
        NatsPuller puller;
        try
        {
            puller = await task.ConfigureAwait(false);
        }
        catch
        {
            _pullers.TryRemove(new KeyValuePair<(string, int), Task<NatsPuller>>(key, task));
            throw;
        }

        if (!puller.Broken)
        {
            return puller;
        }

        if (_pullers.TryRemove(new KeyValuePair<(string, int), Task<NatsPuller>>(key, task)))
        {
            await puller.DisposeAsync().ConfigureAwait(false);
        }

        return await _pullers.GetOrAdd(key, k => CreatePullerAsync(k.Item1, k.Item2, cancellationToken)).ConfigureAwait(false);
    }

    private async Task<NatsPuller> CreatePullerAsync(string kind, int priority, CancellationToken cancellationToken)
    {
        await CreateConsumerAsync(kind, priority, cancellationToken).ConfigureAwait(false);
        return await NatsPuller.StartAsync(_backend.JetStream, _tasksStream, ConsumerName(kind, priority), cancellationToken).ConfigureAwait(false);
    }

    private static string ConsumerName(string kind, int priority) => kind + "_p" + priority.ToString(CultureInfo.InvariantCulture);

    private async Task<INatsJSConsumer> CreateConsumerAsync(string kind, int priority, CancellationToken cancellationToken)
    {
        await EnsureStreamsAsync(cancellationToken).ConfigureAwait(false);
        var config = new ConsumerConfig(ConsumerName(kind, priority))
        {
            FilterSubject = Subject(kind, priority),
            AckPolicy = ConsumerConfigAckPolicy.Explicit,
            AckWait = Options.VisibilityTimeout,
            MaxDeliver = -1,
            MaxAckPending = 20_000,
            DeliverPolicy = ConsumerConfigDeliverPolicy.All,
        };
        return await Run(() => _backend.JetStream.CreateOrUpdateConsumerAsync(_tasksStream, config, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private Task EnsureStreamsAsync(CancellationToken cancellationToken)
    {
        var ready = _streams;
        if (ready is { IsCompletedSuccessfully: true })
        {
            return ready;
        }

        return _streams = EnsureBothAsync();

        async Task EnsureBothAsync()
        {
            await NatsStreams.EnsureStreamAsync(_backend, new StreamConfig(_tasksStream, [_backend.Prefix + ".task.>"])
            {
                Storage = StreamConfigStorage.File,
                Retention = StreamConfigRetention.Workqueue,
                DuplicateWindow = TimeSpan.FromMinutes(2),
            }, cancellationToken).ConfigureAwait(false);
            await NatsStreams.EnsureStreamAsync(_backend, new StreamConfig(_deadStream, [_backend.Prefix + ".dead.>"])
            {
                Storage = StreamConfigStorage.File,
                Retention = StreamConfigRetention.Limits,
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    private string Subject(string kind, int priority) => _backend.Prefix + ".task." + kind + "." + priority.ToString(CultureInfo.InvariantCulture);

    private ValueTask<T> Run<T>(Func<ValueTask<T>> call, CancellationToken cancellationToken) => RuntimeRetry.RunAsync(_backend.Server, call, cancellationToken);
}
