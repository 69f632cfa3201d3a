using System.Collections.Concurrent;
using System.Diagnostics;

namespace Memfun.Engine.Runtime;

/// <summary>
/// Doorbells for a kind's rarely used priorities (high and low): a lease asks their queues for work only when a bell
/// rang since they were last found empty, instead of spending a round trip on each of them on every lease. The
/// transport (how a bell is rung and heard across processes) is the tier's: see the subclasses.
/// </summary>
/// <remarks>
/// <para>An enqueue at high or low priority rings once the server has stored the task, so a process that hears the
/// bell finds the task when it reads. A process hears every bell once it leases; its own enqueues ring it directly
/// too. Normal priority has no bell: it is always read, and most tasks are normal, so they pay nothing extra.</para>
/// <para>A bell can go unheard (a reconnect, a producer that does not ring), so an empty priority is asked again at
/// least every <see cref="Recheck"/> (100 ms): the most a high-priority task can wait behind normal ones. Until the
/// bells are listened to, every priority is read, as without bells.</para>
/// </remarks>
internal abstract class PriorityDoorbells(Action heard)
{
    /// <summary>How long an empty priority is trusted to stay empty without a bell, unless set otherwise.</summary>
    public static readonly TimeSpan DefaultRecheck = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentDictionary<(string Kind, int Priority), Bell> _bells = new();
    private readonly Lock _gate = new();
    private volatile bool _listening;
    private Task? _listener;

    /// <summary>Whether <paramref name="priority"/> has a bell (high and low do; normal is always read).</summary>
    public static bool HasBell(int priority) => priority != 1;

    /// <summary>How long an empty priority is trusted to stay empty without a bell.</summary>
    public TimeSpan Recheck { get; set; } = DefaultRecheck;

    /// <summary>Whether bells are heard now (the subscription is in place).</summary>
    public bool Listening
    {
        get => _listening;
        protected set => _listening = value;
    }

    /// <summary>Starts hearing bells, once (again if that failed); until that is in place, <see cref="MayHaveWork"/> says yes.</summary>
    public void Listen()
    {
        if (_listener is { IsFaulted: false })
        {
            return;
        }

        lock (_gate)
        {
            if (_listener is null or { IsFaulted: true })
            {
                _listener = Task.Run(ListenAsync);
            }
        }
    }

    /// <summary>Subscribes to the bells of every process, sets <see cref="Listening"/> once the subscription is in
    /// place (and back while it is not), and calls <see cref="Heard"/> for each bell.</summary>
    protected abstract Task ListenAsync();

    /// <summary>How many times the bell of <paramref name="kind"/> and <paramref name="priority"/> has rung, or -1 while
    /// bells are not listened to; take it before a read and hand it to <see cref="FoundEmpty"/> if the read came back
    /// short. (The subscription is in place before the read is sent, so a bell rung for any task the read missed
    /// reaches us.)</summary>
    public long Rings(string kind, int priority) => _listening ? Volatile.Read(ref BellOf(kind, priority).Rings) : -1;

    /// <summary>Whether the priority's queue is worth a read: it was not found empty, a bell rang since, or the last
    /// look is older than <see cref="Recheck"/>.</summary>
    public bool MayHaveWork(string kind, int priority)
    {
        if (!_listening || !HasBell(priority))
        {
            return true;
        }

        var bell = BellOf(kind, priority);
        return Volatile.Read(ref bell.RingsWhenEmpty) != Volatile.Read(ref bell.Rings)
            || Stopwatch.GetElapsedTime(Volatile.Read(ref bell.EmptyAt)) >= Recheck;
    }

    /// <summary>A read of the priority came back with fewer tasks than asked for: it was empty at the time it was
    /// served, and stays so until a bell rings after <paramref name="ringsBefore"/>.</summary>
    public void FoundEmpty(string kind, int priority, long ringsBefore)
    {
        if (ringsBefore < 0 || !HasBell(priority))
        {
            return; // read before the bells were listened to (a bell for what it missed may have gone unheard), or no bell
        }

        var bell = BellOf(kind, priority);
        Volatile.Write(ref bell.EmptyAt, Stopwatch.GetTimestamp());
        Volatile.Write(ref bell.RingsWhenEmpty, ringsBefore);
    }

    /// <summary>Rings after a task of <paramref name="kind"/> and <paramref name="priority"/> was stored: here at once,
    /// and for other processes through the tier. A lost bell costs at most <see cref="Recheck"/>, so a failed send is
    /// not an error.</summary>
    public async ValueTask RingAsync(string kind, int priority, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref BellOf(kind, priority).Rings);
        await SendAsync(kind, priority, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the bell to the other processes; swallows the tier's connection errors.</summary>
    protected abstract ValueTask SendAsync(string kind, int priority, CancellationToken cancellationToken);

    /// <summary>A bell rang in some process: counts it and wakes the idle leases here.</summary>
    protected void Heard(string kind, int priority)
    {
        Interlocked.Increment(ref BellOf(kind, priority).Rings);
        heard();
    }

    private Bell BellOf(string kind, int priority) => _bells.GetOrAdd((kind, priority), static _ => new Bell());

    private sealed class Bell
    {
        public long Rings;
        public long RingsWhenEmpty = -1;
        public long EmptyAt;
    }
}
