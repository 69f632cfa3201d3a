using System.Buffers;
using System.Text.RegularExpressions;

namespace Memfun.Tools.Search;

/// <summary>Finds the next match in a text: ordinal literal, case-insensitive literal, or a regular expression.</summary>
/// <remarks>Immutable and thread-safe: one instance serves every worker of a search.</remarks>
internal abstract class TextMatcher
{
    /// <summary>The index of the next match at or after <paramref name="start"/>, or -1.</summary>
    public abstract int Next(ReadOnlySpan<char> text, int start, out int length);

    /// <summary>Builds the matcher of <paramref name="query"/>, refusing invalid regular expressions with the parser's reason.</summary>
    public static TextMatcher Create(SearchQuery query, TimeSpan timeout)
    {
        if (string.IsNullOrEmpty(query.Pattern))
        {
            throw new SearchException("The pattern is empty. Pass the text or regular expression to look for.");
        }

        if (query.Literal)
        {
            return query.CaseSensitive ? new Ordinal(query.Pattern) : new IgnoreCase(query.Pattern);
        }

        var options = RegexOptions.Multiline | RegexOptions.CultureInvariant | RegexOptions.Compiled;
        if (!query.CaseSensitive)
        {
            options |= RegexOptions.IgnoreCase;
        }

        try
        {
            return new Expression(new Regex(query.Pattern, options, timeout));
        }
        catch (RegexParseException ex)
        {
            throw new SearchException(
                $"The pattern '{query.Pattern}' is not a valid regular expression: {ex.Error} at offset {ex.Offset} ({ex.Message}). " +
                "Escape special characters such as ( [ { . * + ? with a backslash, or pass literal=true to search for the text as written.", ex);
        }
        catch (ArgumentException ex)
        {
            throw new SearchException($"The pattern '{query.Pattern}' is not a valid regular expression: {ex.Message}. Pass literal=true to search for the text as written.", ex);
        }
    }

    private sealed class Ordinal(string needle) : TextMatcher
    {
        public override int Next(ReadOnlySpan<char> text, int start, out int length)
        {
            length = needle.Length;
            var i = text[start..].IndexOf(needle, StringComparison.Ordinal);
            return i < 0 ? -1 : start + i;
        }
    }

    private sealed class IgnoreCase(string needle) : TextMatcher
    {
        private readonly SearchValues<string> _values = SearchValues.Create([needle], StringComparison.OrdinalIgnoreCase);

        public override int Next(ReadOnlySpan<char> text, int start, out int length)
        {
            length = needle.Length;
            var i = text[start..].IndexOfAny(_values);
            return i < 0 ? -1 : start + i;
        }
    }

    private sealed class Expression(Regex regex) : TextMatcher
    {
        public override int Next(ReadOnlySpan<char> text, int start, out int length)
        {
            foreach (var m in regex.EnumerateMatches(text, start))
            {
                length = m.Length;
                return m.Index;
            }

            length = 0;
            return -1;
        }
    }
}
