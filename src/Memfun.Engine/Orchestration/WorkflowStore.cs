using System.Globalization;
using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Runtime.Stored;

namespace Memfun.Engine.Orchestration;

/// <summary>
/// Workflows on the runtime's state store (the <c>workflows</c> area: a table partition on SQLite, a key prefix on Redis,
/// a KV bucket on NATS): <c>r/&lt;id&gt;</c> the <see cref="WorkflowRecord"/>, <c>t/&lt;id&gt;/&lt;taskId&gt;</c> each task's
/// latest <see cref="WorkflowTaskOutcome"/>, <c>a/&lt;id&gt;/&lt;n&gt;</c> the apply journal
/// (<see cref="AppliedOperationRecord"/>) and <c>l/&lt;id&gt;</c> the coordinator's lease.
/// </summary>
/// <remarks>
/// Thread-safe; several coordinators may share the store. The lease (<see cref="LeaseDuration"/>, renewed by the
/// coordinator every third of it) says who may move a workflow: another coordinator takes a workflow over only once the
/// lease has lapsed, or at once when its owner ran on this machine and is gone. The newest <see cref="Capacity"/> ended
/// workflows are kept; older ended ones are deleted when a workflow starts.
/// </remarks>
public sealed class WorkflowStore(IStateStore store, TimeProvider? time = null)
{
    /// <summary>How many ended workflows are kept.</summary>
    public const int Capacity = 100;

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>How long a coordinator's lease lasts unless renewed (default 15 s).</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The workflow <paramref name="id"/>, with its revision; null when unknown.</summary>
    public async Task<(WorkflowRecord Record, long Revision)?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var entry = await store.GetAsync(RecordKey(id), cancellationToken).ConfigureAwait(false);
        return entry is null ? null : (StoredJson.Read<WorkflowRecord>(entry.Value), entry.Revision);
    }

    /// <summary>Every workflow kept, newest first.</summary>
    public async Task<IReadOnlyList<WorkflowRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        var list = new List<WorkflowRecord>();
        await foreach (var entry in store.ListAsync("r/", cancellationToken).ConfigureAwait(false))
        {
            list.Add(StoredJson.Read<WorkflowRecord>(entry.Value));
        }

        return [.. list.OrderByDescending(r => r.Started)];
    }

    /// <summary>Records a new workflow (its id must be new) and deletes the oldest ended ones past <see cref="Capacity"/>.</summary>
    public async Task CreateAsync(WorkflowRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (await store.TryUpdateAsync(RecordKey(record.Id), StoredJson.Write(record), 0, null, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new InvalidOperationException($"A workflow '{record.Id}' already exists.");
        }

        var ended = (await ListAsync(cancellationToken).ConfigureAwait(false)).Where(r => r.IsTerminal).Skip(Capacity).ToList();
        foreach (var old in ended)
        {
            await DeleteAsync(old.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Moves the workflow with <paramref name="change"/> (compare-and-set, retried on a concurrent change). An ended
    /// workflow is not changed: its record is returned as it is, for the caller to see.
    /// </summary>
    public async Task<WorkflowRecord> UpdateAsync(string id, Func<WorkflowRecord, WorkflowRecord> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        while (true)
        {
            var (current, revision) = await GetAsync(id, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"There is no workflow '{id}' in the store.");
            if (current.IsTerminal)
            {
                return current;
            }

            var next = change(current) with { Updated = _time.GetUtcNow() };
            if (await store.TryUpdateAsync(RecordKey(id), StoredJson.Write(next), revision, null, cancellationToken).ConfigureAwait(false) is not null)
            {
                return next;
            }
        }
    }

    /// <summary>Records a task's latest outcome.</summary>
    public async Task PutOutcomeAsync(string id, WorkflowTaskOutcome outcome, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        await store.PutAsync(TaskKey(id, outcome.Task.Id), StoredJson.Write(outcome), null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The latest outcome of every task that finished, by task id.</summary>
    public async Task<IReadOnlyDictionary<string, WorkflowTaskOutcome>> OutcomesAsync(string id, CancellationToken cancellationToken = default)
    {
        var outcomes = new Dictionary<string, WorkflowTaskOutcome>(StringComparer.Ordinal);
        await foreach (var entry in store.ListAsync($"t/{id}/", cancellationToken).ConfigureAwait(false))
        {
            var outcome = StoredJson.Read<WorkflowTaskOutcome>(entry.Value);
            outcomes[outcome.Task.Id] = outcome;
        }

        return outcomes;
    }

    /// <summary>The apply journal's entry <paramref name="index"/>, or null when the operation was not reached.</summary>
    public async Task<AppliedOperationRecord?> GetAppliedAsync(string id, int index, CancellationToken cancellationToken = default)
    {
        var entry = await store.GetAsync(ApplyKey(id, index), cancellationToken).ConfigureAwait(false);
        return entry is null ? null : StoredJson.Read<AppliedOperationRecord>(entry.Value);
    }

    /// <summary>Writes an apply journal entry.</summary>
    public async Task PutAppliedAsync(string id, AppliedOperationRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await store.PutAsync(ApplyKey(id, record.Index), StoredJson.Write(record), null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The coordinator holding the workflow's lease, or null when none does (never taken, lapsed or released).</summary>
    public async Task<WorkflowOwner?> LeaseHolderAsync(string id, CancellationToken cancellationToken = default)
    {
        var entry = await store.GetAsync(LeaseKey(id), cancellationToken).ConfigureAwait(false);
        return entry is null ? null : StoredJson.Read<WorkflowOwner>(entry.Value);
    }

    /// <summary>
    /// Takes the workflow's lease for this process: when nobody holds it, this process already does, or its holder ran
    /// on this machine and is gone. Returns the lease's revision, or the holder that keeps it.
    /// </summary>
    public async Task<(long? Revision, WorkflowOwner? Holder)> TryTakeLeaseAsync(string id, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var entry = await store.GetAsync(LeaseKey(id), cancellationToken).ConfigureAwait(false);
            var holder = entry is null ? null : StoredJson.Read<WorkflowOwner>(entry.Value);
            if (holder is not null && !holder.IsCurrent && !holder.IsKnownGone())
            {
                return (null, holder);
            }

            var taken = await store.TryUpdateAsync(LeaseKey(id), StoredJson.Write(WorkflowOwner.Current), entry?.Revision ?? 0, LeaseDuration, cancellationToken).ConfigureAwait(false);
            if (taken is not null)
            {
                return (taken, null);
            }
        }
    }

    /// <summary>Renews the lease held at <paramref name="revision"/>; null when it was lost (lapsed and taken by another).</summary>
    public async Task<long?> RenewLeaseAsync(string id, long revision, CancellationToken cancellationToken = default) =>
        await store.TryUpdateAsync(LeaseKey(id), StoredJson.Write(WorkflowOwner.Current), revision, LeaseDuration, cancellationToken).ConfigureAwait(false);

    /// <summary>Gives the lease up (the workflow ended or this coordinator stops running it).</summary>
    public async Task ReleaseLeaseAsync(string id, CancellationToken cancellationToken = default) =>
        await store.DeleteAsync(LeaseKey(id), cancellationToken).ConfigureAwait(false);

    private async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        foreach (var prefix in new[] { $"t/{id}/", $"a/{id}/" })
        {
            await foreach (var entry in store.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
            {
                keys.Add(entry.Key);
            }
        }

        foreach (var key in keys.Append(LeaseKey(id)).Append(RecordKey(id)))
        {
            await store.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string RecordKey(string id) => "r/" + Checked(id);

    private static string TaskKey(string id, string taskId) => $"t/{Checked(id)}/{taskId}";

    private static string ApplyKey(string id, int index) => $"a/{Checked(id)}/{index.ToString("D6", CultureInfo.InvariantCulture)}";

    private static string LeaseKey(string id) => "l/" + Checked(id);

    private static string Checked(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return id.Contains('/', StringComparison.Ordinal) ? throw new ArgumentException($"A workflow id has no '/': '{id}'.", nameof(id)) : id;
    }
}
