using System.Text;
using Memfun.Tools;
using Memfun.Tools.Search;
using Memfun.Tools.Workspace;

namespace Memfun.Engine.Solving;

/// <summary>
/// The <see cref="IWorkspaceReader"/> on the workspace tools: files come from the .gitignore-aware
/// <see cref="WorkspaceWalker"/> (nested ignore files, <c>.ignore</c>, <c>.git/info/exclude</c>) as one
/// <see cref="WorkspaceSnapshot"/> per listing, searches from the <see cref="WorkspaceSearcher"/> and its content cache
/// (unchanged files are not read again; all patterns in one pass over the listing's walk), text through the
/// <see cref="PathGuard"/>.
/// </summary>
/// <remarks>
/// Thread-safe. Binary-looking extensions and files over 1 MB are left out of the listing; a file whose first 8 KB
/// hold a NUL byte reads as null. A search pattern that is not a valid regular expression is searched as text.
/// </remarks>
internal sealed class ToolsWorkspaceReader(WorkspaceWalker walker, WorkspaceSearcher searcher) : IWorkspaceReader
{
    internal const long MaxFileBytes = 1024 * 1024;

    private static readonly HashSet<string> BinaryExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".ico", ".webp", ".pdf", ".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z",
        ".tar", ".jar", ".class", ".dll", ".exe", ".so", ".dylib", ".a", ".o", ".obj", ".pyc", ".pyo", ".woff", ".woff2",
        ".ttf", ".otf", ".eot", ".mp3", ".mp4", ".wav", ".mov", ".avi", ".sqlite", ".db", ".bin", ".pdb", ".nupkg", ".snk",
    };

    private static readonly HashSet<string> DependencyFolders = new(StringComparer.Ordinal)
    {
        "node_modules", "bin", "obj", "target", ".venv", "venv", "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".tox",
    };

    public string Root => walker.Guard.Root;

    public WorkspaceListing ListFiles(CancellationToken cancellationToken = default)
    {
        var snapshot = walker.Snapshot(cancellationToken);
        var files = new List<WorkspaceFile>(snapshot.Entries.Count);
        foreach (var e in snapshot.Entries)
        {
            if (e.Length > MaxFileBytes || BinaryExtensions.Contains(Path.GetExtension(e.RelativePath)) || InDependencyFolder(e.RelativePath))
            {
                continue;
            }

            files.Add(new WorkspaceFile(e.RelativePath, e.Length));
        }

        return new WorkspaceListing(files, snapshot);
    }

    public async Task<string?> ReadTextAsync(string path, int maxChars, CancellationToken cancellationToken = default)
    {
        string full;
        try
        {
            full = walker.Guard.Resolve(path);
        }
        catch (MemfunToolException)
        {
            return null;
        }

        byte[] bytes;
        try
        {
            // Beneath the workspace in one step, a regular file (a FIFO is skipped at once), capped.
            bytes = SafeFile.ReadAllBytes(walker.Guard.Roots, full, path, MaxFileBytes);
        }
        catch (MemfunToolException)
        {
            return null;
        }

        if (Array.IndexOf(bytes, (byte)0, 0, Math.Min(bytes.Length, 8192)) >= 0)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(bytes);
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        return text.Length > maxChars ? text[..maxChars] + $"\n… [cut: {text.Length - maxChars} more characters]" : text;
    }

    public Task<IReadOnlyList<PatternHit>> SearchAsync(IReadOnlyList<string> patterns, int maxHitsPerPattern, WorkspaceListing? listing = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var queries = patterns
            .Where(static p => !string.IsNullOrEmpty(p))
            .Select(p => new SearchQuery { Pattern = p, MaxResults = Math.Clamp(maxHitsPerPattern, 1, SearchQuery.MaxResultsLimit), Literal = !IsRegex(p) })
            .ToList();
        var hits = new List<PatternHit>();
        if (queries.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<PatternHit>>(hits);
        }

        // One walk (the request's, when given) and one pass over the files for every pattern; should one pattern fail
        // (too slow), the patterns are searched one by one over the same walk so that the others still answer.
        var snapshot = listing?.Snapshot ?? walker.Snapshot(cancellationToken);
        IReadOnlyList<Memfun.Tools.Search.SearchResult?> results;
        try
        {
            results = searcher.Search(queries, snapshot, cancellationToken);
        }
        catch (SearchException)
        {
            results = [.. queries.Select(q => OneOrNone(q, snapshot, cancellationToken))];
        }

        for (var i = 0; i < queries.Count; i++)
        {
            foreach (var h in results[i]?.Matches ?? [])
            {
                if (InDependencyFolder(h.Path))
                {
                    continue;
                }

                var s = h.Text.Trim();
                hits.Add(new PatternHit(queries[i].Pattern, h.Path, h.Line, s.Length > 300 ? s[..300] : s));
            }
        }

        return Task.FromResult<IReadOnlyList<PatternHit>>(hits);
    }

    private Memfun.Tools.Search.SearchResult? OneOrNone(SearchQuery query, WorkspaceSnapshot snapshot, CancellationToken cancellationToken)
    {
        try
        {
            return searcher.Search(query, snapshot, cancellationToken);
        }
        catch (SearchException)
        {
            return null;
        }
    }

    private static bool IsRegex(string pattern)
    {
        try
        {
            _ = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromMilliseconds(100));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static bool InDependencyFolder(string relative)
    {
        var start = 0;
        for (var i = relative.IndexOf('/', StringComparison.Ordinal); i >= 0; i = relative.IndexOf('/', start))
        {
            if (DependencyFolders.Contains(relative[start..i]))
            {
                return true;
            }

            start = i + 1;
        }

        return false;
    }
}
