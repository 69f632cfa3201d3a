namespace Memfun.Engine.Solving;

/// <summary>What the solver reads from the workspace: the file list, file text and a pattern search.</summary>
/// <remarks>
/// Implementations confine every path to the workspace (PathGuard), skip what is ignored (.git, build
/// output, dependency folders, .gitignore'd entries) and binary files. Thread-safe.
/// </remarks>
public interface IWorkspaceReader
{
    /// <summary>The workspace root (absolute).</summary>
    string Root { get; }

    /// <summary>Every text-like file that is not ignored, with its size, paths relative with '/'.</summary>
    /// <remarks>Taken once per request and passed on to <see cref="SearchAsync"/> and <see cref="ICodeMapSource.GetCodeMapAsync"/>, so the tree is walked once.</remarks>
    WorkspaceListing ListFiles(CancellationToken cancellationToken = default);

    /// <summary>The text of <paramref name="path"/>, or null when it does not exist, is binary or lies outside.</summary>
    /// <param name="path">Relative (untrusted) path.</param>
    /// <param name="maxChars">Longer text is cut and marked as cut.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<string?> ReadTextAsync(string path, int maxChars, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lines matching each of <paramref name="patterns"/> (regular expressions; a pattern that does not parse is
    /// taken as plain text), at most <paramref name="maxHitsPerPattern"/> per pattern, in path and line order.
    /// </summary>
    /// <param name="patterns">The patterns, untrusted; one that fails (too slow) yields no hits, the others still do.</param>
    /// <param name="maxHitsPerPattern">The most hits kept per pattern.</param>
    /// <param name="listing">The request's listing (<see cref="ListFiles"/>), searched without listing the workspace again; null lists it.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    Task<IReadOnlyList<PatternHit>> SearchAsync(IReadOnlyList<string> patterns, int maxHitsPerPattern, WorkspaceListing? listing = null, CancellationToken cancellationToken = default);
}

/// <summary>A file in the workspace.</summary>
/// <param name="Path">Relative path with '/' separators.</param>
/// <param name="Size">Size in bytes.</param>
public sealed record WorkspaceFile(string Path, long Size);

/// <summary>One line that matched a search.</summary>
/// <param name="Pattern">The pattern that matched (as given).</param>
/// <param name="Path">Relative path.</param>
/// <param name="Line">1-based line number.</param>
/// <param name="Text">The line, trimmed to 300 characters.</param>
public sealed record PatternHit(string Pattern, string Path, int Line, string Text);
