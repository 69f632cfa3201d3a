using Memfun.Tools.Workspace;

namespace Memfun.Tools.Search;

/// <summary>
/// The glob filter of <c>list_files</c> and <c>search</c>: one glob, with <c>{a,b}</c> alternatives; a
/// glob without '/' matches the file name at any depth (<c>*.cs</c>), one with '/' matches the path
/// relative to the folder searched (<c>src/**/*.ts</c>); a leading '!' inverts it.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
internal sealed class PathFilter
{
    private const int MaxAlternatives = 64;
    private readonly GlobMatcher[] _matchers;
    private readonly bool _byName;
    private readonly bool _negate;

    private PathFilter(GlobMatcher[] matchers, bool byName, bool negate)
    {
        _matchers = matchers;
        _byName = byName;
        _negate = negate;
    }

    /// <summary>Parses <paramref name="glob"/>; null when it is empty (everything passes).</summary>
    public static PathFilter? Create(string? glob)
    {
        if (string.IsNullOrWhiteSpace(glob))
        {
            return null;
        }

        var text = glob.Trim().Replace('\\', '/');
        var negate = text.StartsWith('!');
        if (negate)
        {
            text = text[1..];
        }

        if (text.StartsWith("./", StringComparison.Ordinal))
        {
            text = text[2..];
        }

        text = text.TrimStart('/');
        var alternatives = new List<string>();
        Expand(text, alternatives);
        var byName = !text.Contains('/', StringComparison.Ordinal);
        return new PathFilter([.. alternatives.Select(a => new GlobMatcher(a))], byName, negate);
    }

    /// <summary>True when the file at <paramref name="relative"/> (to the folder searched) passes.</summary>
    public bool Accepts(ReadOnlySpan<char> relative)
    {
        var subject = relative;
        if (_byName)
        {
            var slash = relative.LastIndexOf('/');
            subject = slash < 0 ? relative : relative[(slash + 1)..];
        }

        var hit = false;
        foreach (var m in _matchers)
        {
            if (m.IsMatch(subject))
            {
                hit = true;
                break;
            }
        }

        return hit != _negate;
    }

    private static void Expand(string pattern, List<string> output)
    {
        var open = pattern.IndexOf('{', StringComparison.Ordinal);
        if (open < 0 || output.Count >= MaxAlternatives)
        {
            output.Add(pattern);
            return;
        }

        var depth = 0;
        var close = -1;
        var cuts = new List<int>();
        for (var i = open; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && --depth == 0)
            {
                close = i;
                break;
            }
            else if (c == ',' && depth == 1)
            {
                cuts.Add(i);
            }
        }

        if (close < 0)
        {
            output.Add(pattern);
            return;
        }

        var head = pattern[..open];
        var tail = pattern[(close + 1)..];
        var start = open + 1;
        foreach (var cut in cuts.Append(close))
        {
            Expand(head + pattern[start..cut] + tail, output);
            start = cut + 1;
        }
    }
}
