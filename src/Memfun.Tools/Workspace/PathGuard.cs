using Microsoft.Extensions.Options;

namespace Memfun.Tools.Workspace;

/// <summary>
/// Confines every path a tool takes to the workspace roots: relative paths resolve against the
/// primary root; <c>..</c>, absolute paths and symbolic links whose target leaves every root are
/// refused with a <see cref="WorkspaceAccessException"/> that names the path and the roots.
/// </summary>
/// <remarks>
/// Thread-safe. Roots can be added at run time (the host's MCP roots); the primary root never changes.
/// Paths are untrusted input: NUL characters and empty segments are rejected before any file access.
/// </remarks>
public sealed class PathGuard
{
    private readonly Lock _gate = new();
    private string[] _roots;

    /// <summary>Creates a guard from the configured workspace.</summary>
    public PathGuard(IOptions<WorkspaceOptions> options)
        : this(options.Value.Root, options.Value.AdditionalRoots)
    {
    }

    /// <summary>Creates a guard over <paramref name="root"/> and any additional roots.</summary>
    public PathGuard(string root, IEnumerable<string>? additionalRoots = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        var primary = CanonicalRoot(root);
        if (!Directory.Exists(primary))
        {
            throw new WorkspaceAccessException($"The workspace root '{root}' does not exist. Create it or pass an existing folder with --workspace.");
        }

        Root = primary;
        var all = new List<string> { primary };
        foreach (var extra in additionalRoots ?? [])
        {
            if (!string.IsNullOrWhiteSpace(extra) && Directory.Exists(extra))
            {
                all.Add(CanonicalRoot(extra));
            }
        }

        _roots = [.. all.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The primary root, fully resolved (symbolic links followed).</summary>
    public string Root { get; }

    /// <summary>Every root, the primary first.</summary>
    public IReadOnlyList<string> Roots
    {
        get { lock (_gate) { return _roots; } }
    }

    /// <summary>Adds roots (for example the host's MCP roots); folders that do not exist are ignored.</summary>
    public void AddRoots(IEnumerable<string> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        lock (_gate)
        {
            var all = new List<string>(_roots);
            foreach (var r in roots)
            {
                if (!string.IsNullOrWhiteSpace(r) && Directory.Exists(r))
                {
                    var c = CanonicalRoot(r);
                    if (!all.Contains(c, StringComparer.Ordinal))
                    {
                        all.Add(c);
                    }
                }
            }

            _roots = [.. all];
        }
    }

    /// <summary>
    /// Resolves <paramref name="path"/> (relative to the primary root, or absolute inside a root) to a
    /// full path inside a root, following symbolic links of the part that exists.
    /// </summary>
    /// <param name="path">The untrusted path; null or empty means the primary root.</param>
    /// <returns>The full, resolved path.</returns>
    /// <exception cref="WorkspaceAccessException">The path is malformed or leaves every root.</exception>
    public string Resolve(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == ".")
        {
            return Root;
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new WorkspaceAccessException("The path contains a NUL character. Pass a plain relative path such as 'src/app.py'.");
        }

        if (path.StartsWith('~'))
        {
            throw new WorkspaceAccessException($"The path '{path}' uses '~', which is not expanded here. Pass a path relative to the workspace root '{Root}'.");
        }

        string full;
        try
        {
            full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(Root, path));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new WorkspaceAccessException($"The path '{path}' is not a valid path: {ex.Message}", ex);
        }

        var roots = Roots;
        var lexicalRoot = roots.FirstOrDefault(r => IsUnder(full, r));
        if (lexicalRoot is null)
        {
            throw Outside(path);
        }

        var real = RealPath(full);
        if (!roots.Any(r => IsUnder(real, r)))
        {
            throw new WorkspaceAccessException(
                $"The path '{path}' is a symbolic link (or lies under one) whose target '{real}' is outside the workspace root '{Root}'. Only files inside the workspace can be used.");
        }

        return real;
    }

    /// <summary>Resolves a path and requires an existing file.</summary>
    public string ResolveExistingFile(string path)
    {
        var full = Resolve(path);
        if (Directory.Exists(full))
        {
            throw new MemfunToolException($"'{path}' is a directory, not a file. Use list_files to see what it contains.");
        }

        if (!File.Exists(full))
        {
            throw new MemfunToolException($"The file '{path}' does not exist (resolved to '{Display(full)}'). Use list_files or search to find the right path.");
        }

        return full;
    }

    /// <summary>True when <paramref name="fullPath"/> lies in a root (after resolving links).</summary>
    public bool IsInside(string fullPath)
    {
        try
        {
            var real = RealPath(Path.GetFullPath(fullPath));
            return Roots.Any(r => IsUnder(real, r));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The path relative to the root that holds it, with '/' separators; the full path when it is in none.</summary>
    public string Display(string fullPath)
    {
        foreach (var r in Roots)
        {
            if (IsUnder(fullPath, r))
            {
                var rel = Path.GetRelativePath(r, fullPath);
                rel = rel.Replace(Path.DirectorySeparatorChar, '/');
                return ReferenceEquals(r, Root) || r == Root ? rel : fullPath;
            }
        }

        return fullPath;
    }

    private WorkspaceAccessException Outside(string path) => new(
        $"The path '{path}' resolves outside the workspace root '{Root}'" +
        (Roots.Count > 1 ? $" (and the other roots: {string.Join(", ", Roots.Skip(1))})" : string.Empty) +
        ". Use a path relative to the workspace root, without '..' segments that leave it.");

    private static bool IsUnder(string full, string root)
    {
        if (string.Equals(full, root, StringComparison.Ordinal))
        {
            return true;
        }

        var prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return full.StartsWith(prefix, StringComparison.Ordinal);
    }

    private static string CanonicalRoot(string root)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        return RealPath(full);
    }

    /// <summary>
    /// Follows symbolic links component by component for the part of <paramref name="full"/> that
    /// exists; the part that does not exist yet is appended unchanged.
    /// </summary>
    internal static string RealPath(string full)
    {
        var root = Path.GetPathRoot(full) ?? "/";
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var current = root;
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            FileSystemInfo info = new FileInfo(next);
            if (!info.Exists)
            {
                info = new DirectoryInfo(next);
            }

            if (!info.Exists && info.LinkTarget is null)
            {
                // Nothing further exists: the rest is a path to be created.
                return Path.Combine([next, .. parts[(i + 1)..]]);
            }

            if (info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                var resolved = target is null ? next : Path.GetFullPath(target.FullName);
                // The target itself may sit under further links.
                current = resolved == next ? next : RealPath(Path.TrimEndingDirectorySeparator(resolved));
            }
            else
            {
                current = next;
            }
        }

        return current;
    }
}
