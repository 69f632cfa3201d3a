namespace Memfun.Engine.Memory;

/// <summary>What <see cref="MemoryLearner.LearnAsync"/> did with one extracted fact.</summary>
/// <param name="Text">The fact as extracted.</param>
/// <param name="Entry">The stored entry, or the near-duplicate already stored.</param>
/// <param name="Duplicate">True when a near-duplicate was already stored (nothing new was added).</param>
public sealed record LearnedMemory(string Text, MemoryEntry Entry, bool Duplicate);
