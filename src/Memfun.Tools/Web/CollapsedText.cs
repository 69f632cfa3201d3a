using System.Text;

namespace Memfun.Tools.Web;

/// <summary>Writes text with each run of whitespace turned into one space and none at either end, as a browser shows it.</summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class CollapsedText
{
    /// <summary>Appends <paramref name="text"/> collapsed to <paramref name="output"/>.</summary>
    /// <param name="output">Receives the text.</param>
    /// <param name="text">The text as written.</param>
    /// <param name="htmlSpaceOnly">Only HTML's ASCII whitespace counts (titles); otherwise any Unicode white space, no-break space included.</param>
    public static StringBuilder Append(StringBuilder output, ReadOnlySpan<char> text, bool htmlSpaceOnly)
    {
        var start = output.Length;
        var space = false;
        foreach (var ch in text)
        {
            if (htmlSpaceOnly ? HtmlTokenizer.IsSpace(ch) : char.IsWhiteSpace(ch))
            {
                space = output.Length > start;
                continue;
            }

            if (space)
            {
                output.Append(' ');
                space = false;
            }

            output.Append(ch);
        }

        return output;
    }

    /// <summary><paramref name="text"/> collapsed, as a new string.</summary>
    public static string Of(ReadOnlySpan<char> text, bool htmlSpaceOnly) => Append(new StringBuilder(text.Length), text, htmlSpaceOnly).ToString();
}
