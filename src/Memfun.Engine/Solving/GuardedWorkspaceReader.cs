using System.IO.Enumeration;
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
        var rootLength = guard.Root.Length + 1;
        var options = new EnumerationOptions { IgnoreInaccessible = true, RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint };
        var enumerable = new FileSystemEnumerable<WorkspaceFile>(
            guard.Root,
            (ref FileSystemEntry e) => new WorkspaceFile(e.ToFullPath()[rootLength..].Replace(Path.DirectorySeparatorChar, '/'), e.Length),
            options)
        {
            ShouldRecursePredicate = (ref FileSystemEntry e) =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                return !IgnoredDirectories.Contains(e.FileName.ToString()) && !names.Contains(e.FileName.ToString());
            },
            ShouldIncludePredicate = (ref FileSystemEntry e) =>
            {
                if (e.IsDirectory || e.Length > MaxFileBytes)
                {
                    return false;
                }

                var name = e.FileName;
                var dot = name.LastIndexOf('.');
                var ext = dot < 0 ? string.Empty : name[dot..].ToString();
                return !BinaryExtensions.Contains(ext) && !extensions.Contains(ext) && !names.Contains(name.ToString());
            },
        };

        var result = enumerable.ToList();
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

    public Task<IReadOnlyList<SearchHit>> SearchAsync(IReadOnlyList<string> patterns, int maxHitsPerPattern, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var regexes = patterns.Select(Compile).ToArray();
        var counts = new int[regexes.Length];
        var hits = new List<SearchHit>();
        var open = regexes.Length;
        foreach (var file in ListFiles(cancellationToken))
        {
            if (open == 0)
            {
                break;
            }

            cancellationToken.ThrowIfCancellationRequested();
            string text;
            try
            {
                var bytes = File.ReadAllBytes(Path.Combine(guard.Root, file.Path));
                if (Array.IndexOf(bytes, (byte)0, 0, Math.Min(bytes.Length, 8192)) >= 0)
                {
                    continue;
                }

                text = Encoding.UTF8.GetString(bytes);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            for (var p = 0; p < regexes.Length; p++)
            {
                if (counts[p] >= maxHitsPerPattern || !SafeMatch(regexes[p], text))
                {
                    continue;
                }

                var lineNo = 0;
                foreach (var line in text.AsSpan().EnumerateLines())
                {
                    lineNo++;
                    if (SafeMatch(regexes[p], line))
                    {
                        var s = line.Trim().ToString();
                        hits.Add(new SearchHit(patterns[p], file.Path, lineNo, s.Length > 300 ? s[..300] : s));
                        if (++counts[p] >= maxHitsPerPattern)
                        {
                            open--;
                            break;
                        }
                    }
                }
            }
        }

        return Task.FromResult<IReadOnlyList<SearchHit>>(hits);
    }

    private static Regex Compile(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Multiline, TimeSpan.FromMilliseconds(200));
        }
        catch (ArgumentException)
        {
            return new Regex(Regex.Escape(pattern), RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));
        }
    }

    private static bool SafeMatch(Regex regex, ReadOnlySpan<char> text)
    {
        try
        {
            return regex.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
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
