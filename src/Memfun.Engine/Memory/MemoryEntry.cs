namespace Memfun.Engine.Memory;

/// <summary>One remembered fact.</summary>
/// <param name="Id">Stable id: <c>p</c> (project) or <c>u</c> (user) followed by a number, e.g. <c>p12</c>.</param>
/// <param name="Scope">Project or user.</param>
/// <param name="Text">The fact, one line.</param>
/// <param name="Tags">Lower-case tags.</param>
/// <param name="Source">Who wrote it: <c>tool</c>, <c>learned</c>, <c>MEMORY.md</c>…</param>
/// <param name="CreatedAt">When it was stored.</param>
/// <param name="LastUsedAt">When it was last recalled (or stored).</param>
/// <param name="Score">Relevance to the query (higher is better); 0 outside recall.</param>
public sealed record MemoryEntry(
    string Id,
    MemoryScope Scope,
    string Text,
    IReadOnlyList<string> Tags,
    string Source,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUsedAt,
    double Score = 0);
