namespace Memfun.Tools.Search;

/// <summary>One matching line.</summary>
/// <param name="Path">The file, relative to the workspace root with '/' separators.</param>
/// <param name="Line">The 1-based line number.</param>
/// <param name="Text">The line (long lines are cut around the match, marked with '…').</param>
/// <param name="Before">The context lines before it, oldest first (null without context).</param>
/// <param name="After">The context lines after it (null without context).</param>
public sealed record SearchHit(string Path, int Line, string Text, IReadOnlyList<string>? Before = null, IReadOnlyList<string>? After = null);
