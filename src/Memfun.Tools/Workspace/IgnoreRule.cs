namespace Memfun.Tools.Workspace;

/// <summary>One line of a <c>.gitignore</c> (or <c>.ignore</c>) file, parsed.</summary>
/// <remarks>
/// Semantics follow git: a leading '!' re-includes; a trailing '/' matches folders only; a '/' at the
/// start or in the middle anchors the pattern to the folder of the file that holds it, otherwise it
/// matches a name at any depth below; <c>**</c>, <c>*</c>, <c>?</c> and classes as in <see cref="GlobMatcher"/>.
/// </remarks>
internal sealed class IgnoreRule
{
    private IgnoreRule(GlobMatcher matcher, bool negate, bool directoryOnly, bool anchored)
    {
        Matcher = matcher;
        Negate = negate;
        DirectoryOnly = directoryOnly;
        Anchored = anchored;
    }

    public GlobMatcher Matcher { get; }

    /// <summary>True for '!' rules, which re-include what an earlier rule excluded.</summary>
    public bool Negate { get; }

    /// <summary>True when the pattern ended in '/': it matches folders only.</summary>
    public bool DirectoryOnly { get; }

    /// <summary>True when the pattern is matched against the whole path below the ignore file's folder.</summary>
    public bool Anchored { get; }

    /// <summary>Parses one line; null for blank lines, comments and patterns that match nothing.</summary>
    public static IgnoreRule? Parse(string line)
    {
        var text = line.TrimEnd('\r');
        if (text.Length == 0 || text[0] == '#')
        {
            return null;
        }

        // Trailing spaces are ignored unless escaped with a backslash.
        var end = text.Length;
        while (end > 0 && text[end - 1] == ' ' && !(end > 1 && text[end - 2] == '\\'))
        {
            end--;
        }

        text = text[..end];
        var negate = false;
        if (text.StartsWith('!'))
        {
            negate = true;
            text = text[1..];
        }
        else if (text.StartsWith("\\!", StringComparison.Ordinal) || text.StartsWith("\\#", StringComparison.Ordinal))
        {
            text = text[1..];
        }

        var directoryOnly = false;
        if (text.EndsWith('/'))
        {
            directoryOnly = true;
            text = text.TrimEnd('/');
        }

        if (text.Length == 0)
        {
            return null;
        }

        var anchored = text.Contains('/', StringComparison.Ordinal);
        if (text.StartsWith('/'))
        {
            text = text.TrimStart('/');
            if (text.Length == 0)
            {
                return null;
            }
        }

        return new IgnoreRule(new GlobMatcher(text), negate, directoryOnly, anchored);
    }

    /// <summary>True when the rule matches the entry.</summary>
    /// <param name="relative">The entry's path relative to the ignore file's folder, '/' separators.</param>
    /// <param name="name">The entry's own name.</param>
    /// <param name="isDirectory">True for folders.</param>
    public bool IsMatch(ReadOnlySpan<char> relative, ReadOnlySpan<char> name, bool isDirectory)
    {
        if (DirectoryOnly && !isDirectory)
        {
            return false;
        }

        return Matcher.IsMatch(Anchored ? relative : name);
    }
}
