namespace Memfun.Engine.Memory;

/// <summary>The outcome of <c>forget</c>: either the entries deleted, or a preview awaiting confirmation.</summary>
/// <param name="Deleted">Ids deleted (empty when confirmation is needed).</param>
/// <param name="Matches">The matching entries (a preview of at most 20 when confirmation is needed).</param>
/// <param name="TotalMatches">How many entries matched.</param>
/// <param name="NeedsConfirmation">True when more than one entry matched and <c>confirm</c> was not set: nothing was deleted.</param>
public sealed record ForgetResult(IReadOnlyList<string> Deleted, IReadOnlyList<MemoryEntry> Matches, int TotalMatches, bool NeedsConfirmation);
