using AngleSharp.Html;
using System.Text;

namespace Memfun.Tools.Web;

/// <summary>
/// Decodes HTML character references (<c>&amp;amp;</c>, <c>&amp;copy</c>, <c>&amp;#x1F600;</c>) in text and
/// attribute values, as the HTML standard's tokenizer does: named references from the full HTML table
/// (AngleSharp's), the legacy names without a semicolon by longest prefix, numeric references with the
/// standard's replacements (zero, surrogates and out-of-range to U+FFFD, 0x80–0x9F through windows-1252).
/// </summary>
/// <remarks>Stateless and thread-safe. A decoded span is never longer than its source (every reference is at least
/// three characters and stands for at most two), so callers size the output buffer from the input.</remarks>
internal static class CharacterReferences
{
    private const int LongestLegacyName = 6;

    // 0x80–0x9F as windows-1252 (zero: the code stays as it is).
    private static readonly char[] Windows1252 =
    [
        '\u20AC', '\0', '\u201A', '\u0192', '\u201E', '\u2026', '\u2020', '\u2021', '\u02C6', '\u2030', '\u0160', '\u2039', '\u0152', '\0', '\u017D', '\0',
        '\0', '\u2018', '\u2019', '\u201C', '\u201D', '\u2022', '\u2013', '\u2014', '\u02DC', '\u2122', '\u0161', '\u203A', '\u0153', '\0', '\u017E', '\u0178',
    ];

    /// <summary>Decodes <paramref name="source"/> into <paramref name="destination"/> (at least as long); returns the decoded length.</summary>
    /// <param name="source">Text or an attribute value as it stands in the page.</param>
    /// <param name="destination">Receives the decoded characters.</param>
    /// <param name="inAttribute">Attribute rules: a legacy name without semicolon followed by a letter, digit or <c>=</c> stays as written (<c>?a=1&amp;copy=2</c>).</param>
    public static int Decode(ReadOnlySpan<char> source, Span<char> destination, bool inAttribute)
    {
        var o = 0;
        var i = 0;
        while (i < source.Length)
        {
            var amp = source[i..].IndexOf('&');
            if (amp < 0)
            {
                source[i..].CopyTo(destination[o..]);
                return o + source.Length - i;
            }

            source.Slice(i, amp).CopyTo(destination[o..]);
            o += amp;
            i += amp;
            var consumed = Reference(source, i, destination[o..], inAttribute, out var written);
            if (consumed == 0)
            {
                destination[o++] = '&';
                i++;
            }
            else
            {
                o += written;
                i += consumed;
            }
        }

        return o;
    }

    /// <summary>Decodes a whole value into a new string (attribute values, titles).</summary>
    public static string Decode(ReadOnlySpan<char> source, bool inAttribute)
    {
        if (!source.Contains('&'))
        {
            return source.ToString();
        }

        var buffer = source.Length <= 512 ? stackalloc char[source.Length] : new char[source.Length];
        var length = Decode(source, buffer, inAttribute);
        return buffer[..length].ToString();
    }

    /// <summary>The reference at <paramref name="at"/> (an ampersand): characters consumed (0 when it is no reference) and written.</summary>
    private static int Reference(ReadOnlySpan<char> s, int at, Span<char> output, bool inAttribute, out int written)
    {
        written = 0;
        var j = at + 1;
        if (j < s.Length && s[j] == '#')
        {
            return Numeric(s, at, output, out written);
        }

        var k = j;
        while (k < s.Length && char.IsAsciiLetterOrDigit(s[k]))
        {
            k++;
        }

        if (k == j)
        {
            return 0;
        }

        var name = s[j..k];
        if (k < s.Length && s[k] == ';' && Lookup(name, semicolon: true) is { } symbol)
        {
            symbol.CopyTo(output);
            written = symbol.Length;
            return k + 1 - at;
        }

        // Legacy names stand without a semicolon: the longest one that starts the name.
        for (var length = Math.Min(name.Length, LongestLegacyName); length >= 2; length--)
        {
            if (Lookup(name[..length], semicolon: false) is not { } legacy)
            {
                continue;
            }

            var after = j + length;
            if (inAttribute && after < s.Length && (char.IsAsciiLetterOrDigit(s[after]) || s[after] == '='))
            {
                return 0;
            }

            legacy.CopyTo(output);
            written = legacy.Length;
            return after - at;
        }

        return 0;
    }

    private static int Numeric(ReadOnlySpan<char> s, int at, Span<char> output, out int written)
    {
        written = 0;
        var k = at + 2;
        var hex = k < s.Length && (s[k] | 0x20) == 'x';
        if (hex)
        {
            k++;
        }

        var digits = k;
        var value = 0;
        while (k < s.Length && (hex ? char.IsAsciiHexDigit(s[k]) : char.IsAsciiDigit(s[k])))
        {
            var digit = s[k] <= '9' ? s[k] - '0' : (s[k] | 0x20) - 'a' + 10;
            value = Math.Min((value * (hex ? 16 : 10)) + digit, 0x110000);
            k++;
        }

        if (k == digits)
        {
            return 0;
        }

        if (k < s.Length && s[k] == ';')
        {
            k++;
        }

        if (value is 0 or > 0x10FFFF || value is >= 0xD800 and <= 0xDFFF)
        {
            value = 0xFFFD;
        }
        else if (value is >= 0x80 and <= 0x9F && Windows1252[value - 0x80] != '\0')
        {
            value = Windows1252[value - 0x80];
        }

        written = new Rune(value).EncodeToUtf16(output);
        return k - at;
    }

    private static string? Lookup(ReadOnlySpan<char> name, bool semicolon)
    {
        // The frequent ones without building a key.
        switch (name)
        {
            case "amp":
                return "&";
            case "lt":
                return "<";
            case "gt":
                return ">";
            case "quot":
                return "\"";
            case "nbsp":
                return "\u00A0";
            case "apos" when semicolon:
                return "'";
            default:
                return HtmlEntityProvider.Resolver.GetSymbol(semicolon ? string.Concat(name, ";") : name.ToString());
        }
    }
}
