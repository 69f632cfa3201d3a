using System.Runtime.CompilerServices;
using Memfun.Engine.Runtime.Abstractions;

namespace Memfun.Engine.Runtime.InProcess;

/// <summary>The in-process task queue: per kind, a FIFO per priority, in-flight leases with deadlines, delayed retries.</summary>
internal sealed class InProcessTaskQueue : ITaskQueue
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, KindQueue> _kinds = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private TaskCompletionSource _signal = NewSignal();
    private long _leaseToken;

    public InProcessTaskQueue(TaskQueueOptions? options = null, TimeProvider? time = null)
    {
        Options = options ?? TaskQueueOptions.Default;
        _time = time ?? TimeProvider.System;
    }

    public TaskQueueOptions Options { get; }

    public ValueTask<string> EnqueueAsync(TaskRequest request, CancellationToken cancellationToken = default)
    {
        var id = RuntimeNames.TaskIdOf(request);
        lock (_gate)
        {
            var q = Kind(request.Kind);
            if (request.IdempotencyKey is not null && !q.Known.Add(id))
            {
                return ValueTask.FromResult(id);
            }

            q.Ready[(int)request.Priority].Enqueue(new Item(id, request.Kind, request.Payload.ToArray(), request.Priority, _time.GetUtcNow()));
        }

        Signal();
        return ValueTask.FromResult(id);
    }

    public async ValueTask<IReadOnlyList<TaskLease>> LeaseAsync(IReadOnlyList<string> kinds, int maxCount, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        foreach (var k in kinds)
        {
            RuntimeNames.ValidateKind(k);
        }

        var deadline = _time.GetUtcNow() + wait;
        while (true)
        {
            Task signal;
            lock (_gate)
            {
                var leased = TakeLocked(kinds, maxCount);
                if (leased.Count > 0)
                {
                    return leased;
                }

                signal = _signal.Task;
            }

            var left = deadline - _time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return [];
            }

            // Wake on an enqueue, or soon enough to see expired leases and due retries.
            var nap = left < TimeSpan.FromMilliseconds(50) ? left : TimeSpan.FromMilliseconds(50);
            await Task.WhenAny(signal, Task.Delay(nap, _time, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public ValueTask<bool> AckAsync(TaskLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_gate)
        {
            var q = Kind(lease.Kind);
            if (q.InFlight.TryGetValue(lease.Id, out var item) && item.LeaseToken == (long)lease.Handle!)
            {
                q.InFlight.Remove(lease.Id);
                return ValueTask.FromResult(true);
            }
        }

        return ValueTask.FromResult(false);
    }

    public ValueTask NackAsync(TaskLease lease, TimeSpan retryDelay, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_gate)
        {
            var q = Kind(lease.Kind);
            if (q.InFlight.TryGetValue(lease.Id, out var item) && item.LeaseToken == (long)lease.Handle!)
            {
                q.InFlight.Remove(lease.Id);
                if (item.Attempts >= Options.MaxAttempts)
                {
                    q.Dead.Add(new DeadTask(item.Id, item.Kind, item.Payload, item.Attempts, reason, _time.GetUtcNow()));
                }
                else
                {
                    item.DueAt = _time.GetUtcNow() + retryDelay;
                    q.Delayed.Add(item);
                }
            }
        }

        Signal();
        return ValueTask.CompletedTask;
    }

    public ValueTask ExtendAsync(TaskLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_gate)
        {
            if (Kind(lease.Kind).InFlight.TryGetValue(lease.Id, out var item) && item.LeaseToken == (long)lease.Handle!)
            {
                item.DueAt = _time.GetUtcNow() + Options.VisibilityTimeout;
            }
        }

        return ValueTask.CompletedTask;
    }

    public async IAsyncEnumerable<DeadTask> ListDeadAsync(string kind, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        RuntimeNames.ValidateKind(kind);
        DeadTask[] dead;
        lock (_gate)
        {
            dead = [.. Kind(kind).Dead];
        }

        foreach (var d in dead)
        {
            yield return d;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private List<TaskLease> TakeLocked(IReadOnlyList<string> kinds, int maxCount)
    {
        var now = _time.GetUtcNow();
        var leased = new List<TaskLease>();
        foreach (var kind in kinds)
        {
            var q = Kind(kind);
            Requeue(q, now);
            for (var p = 0; p < q.Ready.Length && leased.Count < maxCount; p++)
            {
                while (leased.Count < maxCount && q.Ready[p].TryDequeue(out var item))
                {
                    item.Attempts++;
                    if (item.Attempts > Options.MaxAttempts)
                    {
                        q.Dead.Add(new DeadTask(item.Id, item.Kind, item.Payload, item.Attempts - 1, "lease expired on the last attempt", now));
                        continue;
                    }

                    item.LeaseToken = ++_leaseToken;
                    item.DueAt = now + Options.VisibilityTimeout;
                    q.InFlight[item.Id] = item;
                    leased.Add(new TaskLease(item.Id, item.Kind, item.Payload, item.Priority, item.Attempts, item.EnqueuedAt) { Handle = item.LeaseToken });
                }
            }
        }

        return leased;
    }

    private static void Requeue(KindQueue q, DateTimeOffset now)
    {
        if (q.Delayed.Count > 0)
        {
            foreach (var item in q.Delayed.Where(i => i.DueAt <= now).OrderBy(i => i.DueAt).ToList())
            {
                q.Delayed.Remove(item);
                q.Ready[(int)item.Priority].Enqueue(item);
            }
        }

        if (q.InFlight.Count > 0)
        {
            foreach (var item in q.InFlight.Values.Where(i => i.DueAt <= now).ToList())
            {
                q.InFlight.Remove(item.Id);
                q.Ready[(int)item.Priority].Enqueue(item);
            }
        }
    }

    private KindQueue Kind(string kind)
    {
        if (!_kinds.TryGetValue(kind, out var q))
        {
            q = new KindQueue();
            _kinds[kind] = q;
        }

        return q;
    }

    private void Signal()
    {
        TaskCompletionSource old;
        lock (_gate)
        {
            old = _signal;
            _signal = NewSignal();
        }

        old.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class KindQueue
    {
        public Queue<Item>[] Ready { get; } = [new(), new(), new()];

        public Dictionary<string, Item> InFlight { get; } = new(StringComparer.Ordinal);

        public List<Item> Delayed { get; } = [];

        public List<DeadTask> Dead { get; } = [];

        public HashSet<string> Known { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Item(string id, string kind, byte[] payload, TaskPriority priority, DateTimeOffset enqueuedAt)
    {
        public string Id { get; } = id;

        public string Kind { get; } = kind;

        public byte[] Payload { get; } = payload;

        public TaskPriority Priority { get; } = priority;

        public DateTimeOffset EnqueuedAt { get; } = enqueuedAt;

        public int Attempts { get; set; }

        public long LeaseToken { get; set; }

        public DateTimeOffset DueAt { get; set; }
    }
}
