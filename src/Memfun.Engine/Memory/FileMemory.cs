namespace Memfun.Engine.Memory;

/// <summary>A memory bullet found in <c>MEMORY.md</c>.</summary>
internal sealed record FileMemory(int Line, string Text, string? Id, MemoryScope Scope, IReadOnlyList<string> Tags);
