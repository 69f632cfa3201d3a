using System.IO.Enumeration;

namespace Memfun.Tools.Workspace;

/// <summary>
/// Lists the files of the workspace the way git sees them: nested <c>.gitignore</c> files (with
/// negation, folder-only, anchored, <c>**</c> and class patterns), <c>.ignore</c> files (which win
/// over <c>.gitignore</c> in the same folder) and <c>.git/info/exclude</c> are honoured; <c>.git/</c>
/// and <c>.memfun/</c> are always skipped; symbolic links to folders are not followed.
/// </summary>
/// <remarks>
/// Thread-safe and stateless between calls. Folders are read in parallel; the result is sorted by
/// relative path (ordinal), so it is the same on every run. A folder that cannot be read is skipped.
/// Every starting path is confined by the <see cref="PathGuard"/>; a path named explicitly is walked
/// even when an ignore rule would exclude it (as <c>rg</c> does), but the rules of its ancestors still
/// apply to what lies inside it.
/// </remarks>
public sealed class WorkspaceWalker
{
    private static readonly EnumerationOptions FlatOptions = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = true,
        AttributesToSkip = 0,
        ReturnSpecialDirectories = false,
    };

    private readonly PathGuard _guard;

    /// <summary>Creates a walker over the guard's workspace.</summary>
    public WorkspaceWalker(PathGuard guard)
    {
        ArgumentNullException.ThrowIfNull(guard);
        _guard = guard;
    }

    /// <summary>The guard that confines every walk.</summary>
    public PathGuard Guard => _guard;

    /// <summary>True for names that are never walked: <c>.git</c> and <c>.memfun</c>.</summary>
    public static bool IsAlwaysSkipped(string name) => name is ".git" or ".memfun";

    /// <summary>Lists the files under <paramref name="path"/> (the workspace root when null).</summary>
    /// <param name="path">A folder or file, relative to the workspace root; untrusted.</param>
    /// <param name="options">What to include; <see cref="WalkOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    /// <returns>The files, sorted by relative path.</returns>
    /// <exception cref="WorkspaceAccessException">The path leaves the workspace.</exception>
    /// <exception cref="MemfunToolException">The path does not exist.</exception>
    public IReadOnlyList<WorkspaceEntry> Walk(string? path = null, WalkOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= WalkOptions.Default;
        var full = _guard.Resolve(path);
        var root = _guard.Roots.FirstOrDefault(r => full == r || full.StartsWith(r + Path.DirectorySeparatorChar, StringComparison.Ordinal)) ?? _guard.Root;
        var relative = full == root ? string.Empty : Path.GetRelativePath(root, full).Replace(Path.DirectorySeparatorChar, '/');
        var displayPrefix = root == _guard.Root ? null : root;

        if (File.Exists(full))
        {
            var info = new FileInfo(full);
            return [new WorkspaceEntry(Display(relative, displayPrefix), full, info.Length, info.LastWriteTimeUtc)];
        }

        if (!Directory.Exists(full))
        {
            throw new MemfunToolException($"The path '{path}' does not exist. Use list_files without a path to see the workspace.");
        }

        var chain = options.RespectIgnoreFiles ? AncestorChain(_guard.Roots, root, relative) : null;
        var results = new List<WorkspaceEntry>(1024);
        var level = new List<Folder> { new(full, relative, chain) };
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
        while (level.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var outputs = new FolderResult[level.Count];
            if (level.Count == 1)
            {
                outputs[0] = ReadFolder(level[0], options, displayPrefix);
            }
            else
            {
                Parallel.For(0, level.Count, parallel, i => outputs[i] = ReadFolder(level[i], options, displayPrefix));
            }

            var next = new List<Folder>();
            foreach (var o in outputs)
            {
                results.AddRange(o.Files);
                next.AddRange(o.Folders);
            }

            level = next;
        }

        results.Sort(static (a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return results;
    }

    /// <summary>Walks the whole workspace once (<see cref="WalkOptions.Default"/>), for consumers that share one listing.</summary>
    /// <param name="cancellationToken">Stops the walk.</param>
    public WorkspaceSnapshot Snapshot(CancellationToken cancellationToken = default) =>
        new(_guard.Root, Walk(null, WalkOptions.Default, cancellationToken));

    private static string Display(string relative, string? displayPrefix) =>
        displayPrefix is null ? relative : Path.Combine(displayPrefix, relative);

    private static IgnoreChain? AncestorChain(IReadOnlyList<string> roots, string root, string relative)
    {
        IgnoreChain? chain = null;
        var exclude = IgnoreFile.TryLoad(roots, Path.Combine(root, ".git", "info", "exclude"), string.Empty);
        if (exclude is not null)
        {
            chain = new IgnoreChain(exclude, chain);
        }

        if (relative.Length == 0)
        {
            return chain;
        }

        // The folders above the start (not the start itself, which is read when walked).
        var parts = relative.Split('/');
        var current = string.Empty;
        chain = AddIgnoreFiles(roots, chain, root, current);
        for (var i = 0; i < parts.Length - 1; i++)
        {
            current = current.Length == 0 ? parts[i] : current + "/" + parts[i];
            chain = AddIgnoreFiles(roots, chain, Path.Combine(root, current), current);
        }

        return chain;
    }

    private static IgnoreChain? AddIgnoreFiles(IReadOnlyList<string> roots, IgnoreChain? chain, string folder, string relative)
    {
        var gitignore = IgnoreFile.TryLoad(roots, Path.Combine(folder, ".gitignore"), relative);
        if (gitignore is not null)
        {
            chain = new IgnoreChain(gitignore, chain);
        }

        var ignore = IgnoreFile.TryLoad(roots, Path.Combine(folder, ".ignore"), relative);
        if (ignore is not null)
        {
            chain = new IgnoreChain(ignore, chain);
        }

        return chain;
    }

    private FolderResult ReadFolder(Folder folder, WalkOptions options, string? displayPrefix)
    {
        List<RawEntry> raw;
        try
        {
            raw = [.. new FileSystemEnumerable<RawEntry>(folder.FullPath, Transform, FlatOptions)];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new FolderResult([], []);
        }

        var chain = folder.Chain;
        if (options.RespectIgnoreFiles && raw.Exists(static r => r.Name is ".gitignore" or ".ignore"))
        {
            chain = AddIgnoreFiles(_guard.Roots, chain, folder.FullPath, folder.RelativePath);
        }

        var files = new List<WorkspaceEntry>(raw.Count);
        var folders = new List<Folder>();
        foreach (var r in raw)
        {
            if (IsAlwaysSkipped(r.Name) || (!options.IncludeHidden && r.Name.StartsWith('.')))
            {
                continue;
            }

            var relative = folder.RelativePath.Length == 0 ? r.Name : folder.RelativePath + "/" + r.Name;
            var full = Path.Combine(folder.FullPath, r.Name);
            var isDirectory = r.IsDirectory;
            if (r.IsLink)
            {
                // Links to folders are not followed (no cycles); links to files count only when they stay inside.
                if (isDirectory || !_guard.IsInside(full))
                {
                    continue;
                }
            }

            if (chain is not null && IgnoreChain.IsIgnored(chain, relative, r.Name, isDirectory))
            {
                continue;
            }

            if (isDirectory)
            {
                folders.Add(new Folder(full, relative, chain));
            }
            else
            {
                files.Add(new WorkspaceEntry(Display(relative, displayPrefix), full, r.Length, r.LastWriteTimeUtc));
            }
        }

        return new FolderResult(files, folders);
    }

    private static RawEntry Transform(ref FileSystemEntry entry)
    {
        var isLink = (entry.Attributes & FileAttributes.ReparsePoint) != 0;
        var isDirectory = entry.IsDirectory;
        return isDirectory
            ? new RawEntry(entry.FileName.ToString(), true, isLink, 0, default)
            : new RawEntry(entry.FileName.ToString(), false, isLink, entry.Length, entry.LastWriteTimeUtc.UtcDateTime);
    }

    private readonly record struct RawEntry(string Name, bool IsDirectory, bool IsLink, long Length, DateTime LastWriteTimeUtc);

    private sealed record Folder(string FullPath, string RelativePath, IgnoreChain? Chain);

    private sealed record FolderResult(List<WorkspaceEntry> Files, List<Folder> Folders);
}
