namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>A key/value store with revisions: get, put, delete, list by prefix, compare-and-set, TTL and watch.</summary>
/// <remarks>
/// <para>Keys are 1–512 characters, any except control characters; values are bytes. Every write gets a new,
/// larger revision for its key; <see cref="TryUpdateAsync"/> writes only when the key's current revision is the
/// expected one (0 = the key must not exist), which is how concurrent writers avoid lost updates.</para>
/// <para>A TTL makes the entry disappear (from get, list and CAS) once it passes.</para>
/// <para>Thread safety: every member may be called concurrently, from several processes on shared tiers.</para>
/// </remarks>
public interface IStateStore
{
    /// <summary>The entry under <paramref name="key"/>, or <see langword="null"/> when absent or expired.</summary>
    ValueTask<StateEntry?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Writes <paramref name="value"/> unconditionally; returns the new revision.</summary>
    ValueTask<long> PutAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? ttl = null, CancellationToken cancellationToken = default);

    /// <summary>Writes only if the key's revision is <paramref name="expectedRevision"/> (0: only if absent).</summary>
    /// <returns>The new revision, or <see langword="null"/> when the revision did not match (nothing written).</returns>
    ValueTask<long?> TryUpdateAsync(string key, ReadOnlyMemory<byte> value, long expectedRevision, TimeSpan? ttl = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes the key; returns whether it existed.</summary>
    ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Every live entry whose key starts with <paramref name="prefix"/>, in key order.</summary>
    IAsyncEnumerable<StateEntry> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Watches puts and deletes of keys starting with <paramref name="prefix"/> made after this call completes.</summary>
    ValueTask<IRuntimeSubscription<StateChange>> WatchAsync(string prefix, CancellationToken cancellationToken = default);
}
