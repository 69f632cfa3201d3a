namespace Memfun.Tools.CodeMap;

/// <summary>The lexical rules of a language that matter for blanking comments and strings.</summary>
internal sealed record ScrubDialect
{
    public static readonly ScrubDialect JavaScript = new() { SingleQuoteStrings = true, TemplateLiterals = true, RegexLiterals = true };
    public static readonly ScrubDialect Go = new() { SingleQuoteStrings = true, BacktickRawStrings = true };
    public static readonly ScrubDialect Rust = new() { RustStrings = true, NestedBlockComments = true };
    public static readonly ScrubDialect Java = new() { SingleQuoteStrings = true, TextBlocks = true };
    public static readonly ScrubDialect Python = new() { SingleQuoteStrings = true, HashComments = true, TripleQuotes = true, NoSlashComments = true };

    public bool SingleQuoteStrings { get; init; }

    public bool TemplateLiterals { get; init; }

    public bool RegexLiterals { get; init; }

    public bool BacktickRawStrings { get; init; }

    public bool RustStrings { get; init; }

    public bool NestedBlockComments { get; init; }

    public bool TextBlocks { get; init; }

    public bool HashComments { get; init; }

    public bool TripleQuotes { get; init; }

    public bool NoSlashComments { get; init; }
}

/// <summary>
/// Returns a copy of a source text in which comments and the contents of string, character, template
/// and regular-expression literals are spaces (line breaks kept), so that braces, parentheses and
/// keywords found in the copy are code, at the same offsets as in the original.
/// </summary>
/// <remarks>Stateless and thread-safe. Never throws: an unterminated literal blanks to the end of its line or text.</remarks>
internal static class SourceScrubber
{
    public static char[] Scrub(string text, ScrubDialect d)
    {
        var o = text.ToCharArray();
        var n = text.Length;
        var i = 0;
        var lastSignificant = '\0';
        var lastWordEnd = -1;
        while (i < n)
        {
            var c = text[i];
            if (!d.NoSlashComments && c == '/' && i + 1 < n && text[i + 1] == '/')
            {
                i = BlankToLineEnd(o, text, i);
                continue;
            }

            if (d.HashComments && c == '#')
            {
                i = BlankToLineEnd(o, text, i);
                continue;
            }

            if (!d.NoSlashComments && c == '/' && i + 1 < n && text[i + 1] == '*')
            {
                i = BlankBlockComment(o, text, i, d.NestedBlockComments);
                continue;
            }

            if (d.TripleQuotes && (c == '"' || c == '\'') && i + 2 < n && text[i + 1] == c && text[i + 2] == c)
            {
                i = BlankTriple(o, text, i, c);
                lastSignificant = c;
                continue;
            }

            if (d.TextBlocks && c == '"' && i + 2 < n && text[i + 1] == '"' && text[i + 2] == '"')
            {
                i = BlankTriple(o, text, i, '"');
                lastSignificant = c;
                continue;
            }

            if (d.RustStrings && c == 'r' && i + 1 < n && (text[i + 1] == '"' || text[i + 1] == '#') && (i == 0 || !IsWord(text[i - 1])))
            {
                var j = i + 1;
                var hashes = 0;
                while (j < n && text[j] == '#')
                {
                    hashes++;
                    j++;
                }

                if (j < n && text[j] == '"')
                {
                    i = BlankRustRaw(o, text, j, hashes);
                    lastSignificant = '"';
                    continue;
                }
            }

            if (c == '"' || (c == '\'' && d.SingleQuoteStrings))
            {
                i = BlankQuoted(o, text, i, c, multiline: false);
                lastSignificant = c;
                continue;
            }

            if (c == '\'' && d.RustStrings)
            {
                // A char literal ('a', '\n', '\u{1F600}') or a lifetime ('a).
                if (i + 2 < n && text[i + 1] == '\\')
                {
                    var close = text.IndexOf('\'', i + 3);
                    if (close > 0 && close - i < 12)
                    {
                        Blank(o, i + 1, close);
                        i = close + 1;
                        continue;
                    }
                }
                else if (i + 2 < n && text[i + 2] == '\'')
                {
                    Blank(o, i + 1, i + 2);
                    i += 3;
                    continue;
                }
                else if (i + 3 < n && char.IsSurrogate(text[i + 1]) && text[i + 3] == '\'')
                {
                    Blank(o, i + 1, i + 3);
                    i += 4;
                    continue;
                }

                i++;
                continue;
            }

            if (c == '`' && d.BacktickRawStrings)
            {
                var close = text.IndexOf('`', i + 1);
                close = close < 0 ? n - 1 : close;
                Blank(o, i + 1, close);
                i = close + 1;
                lastSignificant = '`';
                continue;
            }

            if (c == '`' && d.TemplateLiterals)
            {
                i = BlankTemplate(o, text, i);
                lastSignificant = '`';
                continue;
            }

            if (c == '/' && d.RegexLiterals && RegexCanStart(text, lastSignificant, lastWordEnd))
            {
                var end = RegexEnd(text, i);
                if (end > 0)
                {
                    Blank(o, i + 1, end);
                    i = end + 1;
                    lastSignificant = '/';
                    continue;
                }
            }

            if (!char.IsWhiteSpace(c))
            {
                lastSignificant = c;
                if (IsWord(c) && (i + 1 >= n || !IsWord(text[i + 1])))
                {
                    lastWordEnd = i;
                }
            }

            i++;
        }

        return o;
    }

    private static bool IsWord(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '$';

    private static void Blank(char[] o, int from, int to)
    {
        for (var k = from; k < to && k < o.Length; k++)
        {
            if (o[k] != '\n' && o[k] != '\r')
            {
                o[k] = ' ';
            }
        }
    }

    private static int BlankToLineEnd(char[] o, string text, int i)
    {
        var end = text.IndexOf('\n', i);
        end = end < 0 ? text.Length : end;
        Blank(o, i, end);
        return end;
    }

    private static int BlankBlockComment(char[] o, string text, int i, bool nested)
    {
        var depth = 0;
        var j = i;
        while (j < text.Length)
        {
            if (text[j] == '/' && j + 1 < text.Length && text[j + 1] == '*' && (nested || depth == 0))
            {
                depth++;
                j += 2;
                continue;
            }

            if (text[j] == '*' && j + 1 < text.Length && text[j + 1] == '/')
            {
                depth--;
                j += 2;
                if (depth == 0)
                {
                    break;
                }

                continue;
            }

            j++;
        }

        Blank(o, i, j);
        return j;
    }

    private static int BlankQuoted(char[] o, string text, int i, char quote, bool multiline)
    {
        var j = i + 1;
        while (j < text.Length)
        {
            var c = text[j];
            if (c == '\\')
            {
                j += 2;
                continue;
            }

            if (c == quote || (c == '\n' && !multiline))
            {
                break;
            }

            j++;
        }

        j = Math.Min(j, text.Length);
        Blank(o, i + 1, j);
        return j < text.Length && text[j] == quote ? j + 1 : j;
    }

    private static int BlankTriple(char[] o, string text, int i, char quote)
    {
        var delimiter = new string(quote, 3);
        var j = i + 3;
        while (j < text.Length)
        {
            if (text[j] == '\\')
            {
                j += 2;
                continue;
            }

            if (string.CompareOrdinal(text, j, delimiter, 0, 3) == 0)
            {
                break;
            }

            j++;
        }

        j = Math.Min(j, text.Length);
        Blank(o, i + 3, j);
        return Math.Min(j + 3, text.Length);
    }

    private static int BlankRustRaw(char[] o, string text, int quote, int hashes)
    {
        var closing = "\"" + new string('#', hashes);
        var end = text.IndexOf(closing, quote + 1, StringComparison.Ordinal);
        end = end < 0 ? text.Length : end;
        Blank(o, quote + 1, end);
        return Math.Min(end + closing.Length, text.Length);
    }

    private static int BlankTemplate(char[] o, string text, int i)
    {
        // Blanks the whole template, ${...} expressions included (their braces are not structure).
        var j = i + 1;
        var depth = 0;
        while (j < text.Length)
        {
            var c = text[j];
            if (c == '\\')
            {
                j += 2;
                continue;
            }

            if (depth == 0 && c == '`')
            {
                break;
            }

            if (c == '$' && j + 1 < text.Length && text[j + 1] == '{')
            {
                depth++;
                j += 2;
                continue;
            }

            if (depth > 0)
            {
                if (c == '{')
                {
                    depth++;
                }
                else if (c == '}')
                {
                    depth--;
                }
                else if (c is '"' or '\'')
                {
                    var close = text.IndexOf(c, j + 1);
                    j = close < 0 ? text.Length : close + 1;
                    continue;
                }
                else if (c == '`')
                {
                    var inner = BlankTemplate(o, text, j);
                    j = inner;
                    continue;
                }
            }

            j++;
        }

        j = Math.Min(j, text.Length);
        Blank(o, i + 1, j);
        return Math.Min(j + 1, text.Length);
    }

    private static bool RegexCanStart(string text, char last, int lastWordEnd)
    {
        if (last == '\0')
        {
            return true;
        }

        if ("(,=:[!&|?{};+-*%<>~^".Contains(last, StringComparison.Ordinal))
        {
            return true;
        }

        if (IsWord(last) && lastWordEnd >= 0)
        {
            var start = lastWordEnd;
            while (start > 0 && IsWord(text[start - 1]))
            {
                start--;
            }

            var word = text.AsSpan(start, lastWordEnd - start + 1);
            return word is "return" or "typeof" or "case" or "in" or "of" or "void" or "yield" or "await" or "delete" or "else" or "instanceof" or "new" or "throw";
        }

        return false;
    }

    private static int RegexEnd(string text, int i)
    {
        var inClass = false;
        for (var j = i + 1; j < text.Length; j++)
        {
            var c = text[j];
            switch (c)
            {
                case '\n':
                    return -1;
                case '\\':
                    j++;
                    break;
                case '[':
                    inClass = true;
                    break;
                case ']':
                    inClass = false;
                    break;
                case '/' when !inClass:
                    return j == i + 1 ? -1 : j;
            }
        }

        return -1;
    }
}
