using System.Text;
using System.Text.RegularExpressions;
using Memfun.Tools;
using Memfun.Tools.Workspace;

namespace Memfun.Engine.Solving;

/// <summary>
/// The built-in <see cref="IWorkspaceReader"/>: walks the workspace through <see cref="PathGuard"/>, skipping
/// dependency and build folders, the root <c>.gitignore</c>'s simple entries (names, <c>*.ext</c>), symbolic
/// links, binary files and files over 1 MB.
/// </summary>
/// <remarks>Thread-safe and stateless: every call reads the disk. Stands in for the Search/Files tools.</remarks>
internal sealed class GuardedWorkspaceReader(PathGuard guard) : IWorkspaceReader
{
    internal const long MaxFileBytes = 1024 * 1024;

    private static readonly HashSet<string> IgnoredDirectories = new(StringComparer.Ordinal)
    {
        ".git", ".hg", ".svn", "node_modules", "bin", "obj", "target", "dist", "build", "out", ".venv", "venv",
        "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".tox", ".idea", ".vs", ".vscode", ".next",
        ".gradle", "coverage", ".memfun",
    };

    private static readonly HashSet<string> BinaryExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".ico", ".webp", ".pdf", ".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z",
        ".tar", ".jar", ".class", ".dll", ".exe", ".so", ".dylib", ".a", ".o", ".obj", ".pyc", ".pyo", ".woff", ".woff2",
        ".ttf", ".otf", ".eot", ".mp3", ".mp4", ".wav", ".mov", ".avi", ".sqlite", ".db", ".bin", ".pdb", ".nupkg", ".snk",
    };

    public string Root => guard.Root;

    public IReadOnlyList<WorkspaceFile> ListFiles(CancellationToken cancellationToken = default)
    {
        var (names, extensions) = ReadGitIgnore(guard.Root);
        var result = new List<WorkspaceFile>();
        var pending = new Stack<DirectoryInfo>();
        pending.Push(new DirectoryInfo(guard.Root));
        var options = new EnumerationOptions { IgnoreInaccessible = true, RecurseSubdirectories = false, AttributesToSkip = FileAttributes.ReparsePoint };
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var dir = pending.Pop();
            foreach (var entry in dir.EnumerateFileSystemInfos("*", options))
            {
                var name = entry.Name;
                if (names.Contains(name))
                {
                    continue;
                }

                if (entry is DirectoryInfo sub)
                {
                    if (!IgnoredDirectories.Contains(name))
                    {
                        pending.Push(sub);
                    }

                    continue;
                }

                var file = (FileInfo)entry;
                var ext = file.Extension;
                if (BinaryExtensions.Contains(ext) || extensions.Contains(ext) || file.Length > MaxFileBytes)
                {
                    continue;
                }

                result.Add(new WorkspaceFile(Path.GetRelativePath(guard.Root, file.FullName).Replace(Path.DirectorySeparatorChar, '/'), file.Length));
            }
        }

        result.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return result;
    }

    public async Task<string?> ReadTextAsync(string path, int maxChars, CancellationToken cancellationToken = default)
    {
        string full;
        try
        {
            full = guard.Resolve(path);
        }
        catch (MemfunToolException)
        {
            return null;
        }

        if (!File.Exists(full))
        {
            return null;
        }

        var bytes = await File.ReadAllBytesAsync(full, cancellationToken).ConfigureAwait(false);
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

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(string pattern, int maxHits, CancellationToken cancellationToken = default)
    {
        Regex regex;
        try
        {
            regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));
        }
        catch (ArgumentException)
        {
            regex = new Regex(Regex.Escape(pattern), RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));
        }

        var hits = new List<SearchHit>();
        foreach (var file in ListFiles(cancellationToken))
        {
            var text = await ReadTextAsync(file.Path, int.MaxValue, cancellationToken).ConfigureAwait(false);
            if (text is null)
            {
                continue;
            }

            var lineNo = 0;
            foreach (var line in text.AsSpan().EnumerateLines())
            {
                lineNo++;
                bool match;
                try
                {
                    match = regex.IsMatch(line);
                }
                catch (RegexMatchTimeoutException)
                {
                    match = false;
                }

                if (match)
                {
                    var s = line.ToString().Trim();
                    hits.Add(new SearchHit(file.Path, lineNo, s.Length > 300 ? s[..300] : s));
                    if (hits.Count >= maxHits)
                    {
                        return hits;
                    }
                }
            }
        }

        return hits;
    }

    private static (HashSet<string> Names, HashSet<string> Extensions) ReadGitIgnore(string root)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var extensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var file = Path.Combine(root, ".gitignore");
        if (!File.Exists(file))
        {
            return (names, extensions);
        }

        foreach (var raw in File.ReadLines(file))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#' || line[0] == '!')
            {
                continue;
            }

            line = line.Trim('/');
            if (line.StartsWith("*.", StringComparison.Ordinal) && line.IndexOfAny(['/', '*', '?', '['], 1) < 0)
            {
                extensions.Add(line[1..]);
            }
            else if (line.Length > 0 && line.IndexOfAny(['/', '*', '?', '[']) < 0)
            {
                names.Add(line);
            }
        }

        return (names, extensions);
    }
}
