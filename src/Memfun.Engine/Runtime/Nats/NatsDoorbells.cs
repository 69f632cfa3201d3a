using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using NATS.Client.Core;

namespace Memfun.Engine.Runtime.Nats;

/// <summary>
/// Doorbells for a kind's rarely used priorities (high and low): a lease asks their consumers for work only when a
/// bell rang since they were last found empty, instead of spending a round trip on each of them on every lease.
/// </summary>
/// <remarks>
/// <para>An enqueue at high or low priority rings <c>{PREFIX}.ring.{kind}.{priority}</c> (plain NATS, no payload) once
/// the server has stored the task, so a process that hears the bell finds the task when it pulls. A process hears
/// every bell once it leases; its own enqueues ring it directly too. Normal priority has no bell: it is always
/// pulled, and most tasks are normal, so they pay nothing extra.</para>
/// <para>A bell can go unheard (a reconnect, a producer that does not ring, such as the <c>nats</c> CLI), so an empty
/// priority is asked again at least every <see cref="Recheck"/> (100 ms): the most a high-priority task can wait behind normal
/// ones. Until the bell subscription is in place every priority is pulled, as without bells.</para>
/// </remarks>
internal sealed class NatsDoorbells(INatsConnection connection, string prefix, Action heard)
{
    /// <summary>How long an empty priority is trusted to stay empty without a bell, unless set otherwise.</summary>
    public static readonly TimeSpan DefaultRecheck = TimeSpan.FromMilliseconds(100);

    private readonly string _subjectPrefix = prefix + ".ring.";
    private readonly ConcurrentDictionary<(string Kind, int Priority), Bell> _bells = new();
    private readonly Lock _gate = new();
    private Task? _listening;
    private volatile bool _listeningNow;

    /// <summary>Whether <paramref name="priority"/> has a bell (high and low do; normal is always pulled).</summary>
    public static bool HasBell(int priority) => priority != 1;

    /// <summary>How long an empty priority is trusted to stay empty without a bell.</summary>
    public TimeSpan Recheck { get; set; } = DefaultRecheck;

    /// <summary>Whether bells are heard now (the subscription is in place).</summary>
    public bool Listening => _listeningNow;

    /// <summary>Starts hearing bells, once; until the subscription is in place, <see cref="MayHaveWork"/> says yes.</summary>
    public void Listen()
    {
        if (_listening is { IsFaulted: false })
        {
            return;
        }

        lock (_gate)
        {
            if (_listening is null or { IsFaulted: true })
            {
                _listening = Task.Run(ListenAsync);
            }
        }
    }

    /// <summary>How many times the bell of <paramref name="kind"/> and <paramref name="priority"/> has rung, or -1 while
    /// bells are not listened to; take it before a pull and hand it to <see cref="FoundEmpty"/> if the pull came back
    /// short. (The subscription is written to the connection before the pull, so the server hears of it first, and a
    /// bell rung for any task the pull missed reaches us.)</summary>
    public long Rings(string kind, int priority) => _listeningNow ? Volatile.Read(ref BellOf(kind, priority).Rings) : -1;

    /// <summary>Whether the priority's consumer is worth a pull: it was not found empty, a bell rang since, or the
    /// last look is older than <see cref="Recheck"/>.</summary>
    public bool MayHaveWork(string kind, int priority)
    {
        if (!_listeningNow || !HasBell(priority))
        {
            return true;
        }

        var bell = BellOf(kind, priority);
        return Volatile.Read(ref bell.RingsWhenEmpty) != Volatile.Read(ref bell.Rings)
            || Stopwatch.GetElapsedTime(Volatile.Read(ref bell.EmptyAt)) >= Recheck;
    }

    /// <summary>A pull of the priority came back with fewer messages than asked for: it was empty at the time it was
    /// served, and stays so until a bell rings after <paramref name="ringsBefore"/>.</summary>
    public void FoundEmpty(string kind, int priority, long ringsBefore)
    {
        if (ringsBefore < 0)
        {
            return; // pulled before the bells were listened to: a bell for what it missed may have gone unheard
        }

        var bell = BellOf(kind, priority);
        Volatile.Write(ref bell.EmptyAt, Stopwatch.GetTimestamp());
        Volatile.Write(ref bell.RingsWhenEmpty, ringsBefore);
    }

    /// <summary>Rings after a task of <paramref name="kind"/> and <paramref name="priority"/> was stored: here at once,
    /// and for other processes over NATS. A lost bell costs at most <see cref="Recheck"/>, so a failed send is not an error.</summary>
    public async ValueTask RingAsync(string kind, int priority, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref BellOf(kind, priority).Rings);
        try
        {
            await connection.PublishAsync(_subjectPrefix + kind + "." + priority.ToString(CultureInfo.InvariantCulture), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (NatsException)
        {
            // Heard at the next recheck instead.
        }
    }

    private Bell BellOf(string kind, int priority) => _bells.GetOrAdd((kind, priority), static _ => new Bell());

    private async Task ListenAsync()
    {
        var sub = await connection.SubscribeCoreAsync<byte[]>(_subjectPrefix + ">").ConfigureAwait(false);
        await using var _ = sub.ConfigureAwait(false);
        _listeningNow = true;
        try
        {
            await foreach (var msg in sub.Msgs.ReadAllAsync().ConfigureAwait(false))
            {
                // {prefix}.ring.{kind}.{priority}
                var rest = msg.Subject.AsSpan(_subjectPrefix.Length);
                var dot = rest.LastIndexOf('.');
                if (dot > 0 && int.TryParse(rest[(dot + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var priority))
                {
                    Interlocked.Increment(ref BellOf(rest[..dot].ToString(), priority).Rings);
                    heard();
                }
            }
        }
        finally
        {
            _listeningNow = false; // the connection is gone: pull every priority again
        }
    }

    private sealed class Bell
    {
        public long Rings;
        public long RingsWhenEmpty = -1;
        public long EmptyAt;
    }
}
