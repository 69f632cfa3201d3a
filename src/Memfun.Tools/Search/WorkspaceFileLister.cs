using System.Globalization;
using Memfun.Tools.Workspace;
using Microsoft.Extensions.Options;

namespace Memfun.Tools.Search;

/// <summary>Lists workspace files by glob, honouring ignore files, capped with a count of the rest.</summary>
/// <remarks>Thread-safe; every path goes through the <see cref="PathGuard"/>.</remarks>
public sealed class WorkspaceFileLister
{
    private readonly WorkspaceWalker _walker;
    private readonly SearchOptions _options;

    /// <summary>Creates the lister.</summary>
    public WorkspaceFileLister(WorkspaceWalker walker, IOptions<SearchOptions> options)
    {
        ArgumentNullException.ThrowIfNull(walker);
        ArgumentNullException.ThrowIfNull(options);
        _walker = walker;
        _options = options.Value;
    }

    /// <summary>Lists the files under <paramref name="path"/> that match <paramref name="pattern"/>.</summary>
    /// <param name="pattern">A glob; without '/' it matches file names at any depth, with '/' the path relative to <paramref name="path"/>.</param>
    /// <param name="path">A folder relative to the workspace root; the root when null.</param>
    /// <param name="timestamps">Include modification times.</param>
    /// <param name="limit">The most entries returned; <see cref="SearchOptions.MaxListEntries"/> when null.</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    public FileListing List(string? pattern = null, string? path = null, bool timestamps = false, int? limit = null, CancellationToken cancellationToken = default)
    {
        var cap = limit ?? _options.MaxListEntries;
        if (cap < 1)
        {
            throw new SearchException($"The limit must be at least 1; it was {cap}.");
        }

        var filter = PathFilter.Create(pattern);
        var baseRelative = WorkspaceSearcher.BaseRelative(_walker.Guard, path);
        var entries = _walker.Walk(path, WalkOptions.Default, cancellationToken);
        var files = new List<ListedFile>(Math.Min(cap, entries.Count));
        var total = 0;
        foreach (var e in entries)
        {
            if (filter is not null && !filter.Accepts(WorkspaceSearcher.Relative(e.RelativePath, baseRelative)))
            {
                continue;
            }

            total++;
            if (files.Count < cap)
            {
                files.Add(new ListedFile(
                    e.RelativePath,
                    timestamps ? e.LastWriteTimeUtc.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : null,
                    e.Length));
            }
        }

        return new FileListing(files, total, total > files.Count);
    }
}
