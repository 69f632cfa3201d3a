namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>A put or delete seen by <see cref="IStateStore.WatchAsync"/>.</summary>
/// <param name="Key">The key written.</param>
/// <param name="Entry">The new entry, or <see langword="null"/> for a delete.</param>
public sealed record StateChange(string Key, StateEntry? Entry)
{
    /// <summary>Whether the change removed the key.</summary>
    public bool IsDelete => Entry is null;
}
