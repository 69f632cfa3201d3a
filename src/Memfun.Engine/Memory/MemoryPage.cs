namespace Memfun.Engine.Memory;

/// <summary>One page of <c>memory_list</c>.</summary>
/// <param name="Items">The entries, newest first.</param>
/// <param name="Total">How many entries match the filters in all.</param>
/// <param name="Offset">Where this page starts.</param>
public sealed record MemoryPage(IReadOnlyList<MemoryEntry> Items, int Total, int Offset);
