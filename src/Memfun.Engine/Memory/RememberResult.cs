namespace Memfun.Engine.Memory;

/// <summary>The outcome of storing a memory.</summary>
/// <param name="Entry">The stored entry (or the one already stored).</param>
/// <param name="AlreadyKnown">True when an entry with the same normalised text existed; nothing new was stored.</param>
public sealed record RememberResult(MemoryEntry Entry, bool AlreadyKnown);
