namespace Memfun.Tools.Workspace;

/// <summary>
/// Matches '/'-separated relative paths against one glob in the syntax of <c>.gitignore</c> and of
/// shells: <c>*</c> (any run of characters except '/'), <c>?</c> (one character except '/'),
/// <c>[abc]</c>, <c>[a-z]</c>, <c>[!x]</c> / <c>[^x]</c> (character classes), <c>**</c> (any run of
/// characters including '/'; <c>**/</c> also matches no folder at all) and <c>\x</c> (a literal x).
/// </summary>
/// <remarks>
/// Immutable and thread-safe. Matching allocates nothing. Common shapes (a plain name, <c>*.ext</c>)
/// take a fast path; the general case backtracks, which is bounded for realistic globs.
/// </remarks>
public sealed class GlobMatcher
{
    private readonly string _pattern;
    private readonly Shape _shape;
    private readonly string _fixed;
    private readonly bool _ignoreCase;

    private enum Shape
    {
        General,
        Literal,
        Suffix,
        Everything,
    }

    /// <summary>Compiles <paramref name="pattern"/>.</summary>
    /// <param name="pattern">The glob, with '/' separators.</param>
    /// <param name="ignoreCase">True to compare letters without regard to case.</param>
    public GlobMatcher(string pattern, bool ignoreCase = false)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        _pattern = pattern;
        _ignoreCase = ignoreCase;
        _fixed = string.Empty;
        if (pattern is "**" or "**/*")
        {
            _shape = Shape.Everything;
        }
        else if (pattern.IndexOfAny(Specials) < 0)
        {
            _shape = Shape.Literal;
            _fixed = pattern;
        }
        else if (pattern.Length > 1 && pattern[0] == '*' && pattern[1] != '*' && pattern.AsSpan(1).IndexOfAny(Specials) < 0 && !pattern.Contains('/', StringComparison.Ordinal))
        {
            _shape = Shape.Suffix;
            _fixed = pattern[1..];
        }
        else
        {
            _shape = Shape.General;
        }
    }

    private static readonly char[] Specials = ['*', '?', '[', '\\'];

    /// <summary>The glob as written.</summary>
    public string Pattern => _pattern;

    /// <summary>True when the glob holds no wildcard at all.</summary>
    public bool IsLiteral => _shape == Shape.Literal;

    /// <summary>True when <paramref name="path"/> (relative, '/' separators) matches the whole glob.</summary>
    public bool IsMatch(ReadOnlySpan<char> path)
    {
        var comparison = _ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return _shape switch
        {
            Shape.Everything => true,
            Shape.Literal => path.Equals(_fixed, comparison),
            Shape.Suffix => path.EndsWith(_fixed, comparison) && !path[..^_fixed.Length].Contains('/'),
            _ => Match(_pattern, path, _ignoreCase),
        };
    }

    /// <inheritdoc/>
    public override string ToString() => _pattern;

    private static bool Match(ReadOnlySpan<char> p, ReadOnlySpan<char> s, bool ignoreCase)
    {
        while (p.Length > 0)
        {
            var c = p[0];
            if (c == '*')
            {
                if (p.Length > 1 && p[1] == '*')
                {
                    var k = 2;
                    while (k < p.Length && p[k] == '*')
                    {
                        k++;
                    }

                    var rest = p[k..];
                    if (rest.Length == 0)
                    {
                        return true;
                    }

                    if (rest[0] == '/')
                    {
                        // "**/" matches zero or more whole folders.
                        var after = rest[1..];
                        if (Match(after, s, ignoreCase))
                        {
                            return true;
                        }

                        for (var i = 0; i < s.Length; i++)
                        {
                            if (s[i] == '/' && Match(after, s[(i + 1)..], ignoreCase))
                            {
                                return true;
                            }
                        }

                        return false;
                    }

                    for (var i = 0; i <= s.Length; i++)
                    {
                        if (Match(rest, s[i..], ignoreCase))
                        {
                            return true;
                        }
                    }

                    return false;
                }

                var tail = p[1..];
                if (tail.Length == 0)
                {
                    return !s.Contains('/');
                }

                for (var i = 0; i <= s.Length; i++)
                {
                    if (Match(tail, s[i..], ignoreCase))
                    {
                        return true;
                    }

                    if (i < s.Length && s[i] == '/')
                    {
                        return false;
                    }
                }

                return false;
            }

            if (s.Length == 0)
            {
                return false;
            }

            if (c == '?')
            {
                if (s[0] == '/')
                {
                    return false;
                }

                p = p[1..];
                s = s[1..];
                continue;
            }

            if (c == '[')
            {
                var consumed = MatchClass(p, s[0], ignoreCase, out var hit);
                if (consumed > 0)
                {
                    if (!hit || s[0] == '/')
                    {
                        return false;
                    }

                    p = p[consumed..];
                    s = s[1..];
                    continue;
                }
                // An unterminated '[' is a literal.
            }

            if (c == '\\' && p.Length > 1)
            {
                p = p[1..];
                c = p[0];
            }

            if (!Same(c, s[0], ignoreCase))
            {
                return false;
            }

            p = p[1..];
            s = s[1..];
        }

        return s.Length == 0;
    }

    /// <summary>Parses the class at the start of <paramref name="p"/>; returns its length, or 0 when it is not a class.</summary>
    private static int MatchClass(ReadOnlySpan<char> p, char ch, bool ignoreCase, out bool hit)
    {
        hit = false;
        var i = 1;
        var negate = false;
        if (i < p.Length && (p[i] == '!' || p[i] == '^'))
        {
            negate = true;
            i++;
        }

        var first = true;
        var matched = false;
        while (i < p.Length)
        {
            var c = p[i];
            if (c == ']' && !first)
            {
                hit = matched != negate;
                return i + 1;
            }

            first = false;
            if (c == '\\' && i + 1 < p.Length)
            {
                i++;
                c = p[i];
            }

            if (i + 2 < p.Length && p[i + 1] == '-' && p[i + 2] != ']')
            {
                var hi = p[i + 2];
                if (hi == '\\' && i + 3 < p.Length)
                {
                    hi = p[i + 3];
                    i++;
                }

                if ((ch >= c && ch <= hi) || (ignoreCase && char.ToLowerInvariant(ch) >= char.ToLowerInvariant(c) && char.ToLowerInvariant(ch) <= char.ToLowerInvariant(hi)))
                {
                    matched = true;
                }

                i += 3;
                continue;
            }

            if (Same(c, ch, ignoreCase))
            {
                matched = true;
            }

            i++;
        }

        return 0;
    }

    private static bool Same(char a, char b, bool ignoreCase) =>
        a == b || (ignoreCase && char.ToLowerInvariant(a) == char.ToLowerInvariant(b));
}
