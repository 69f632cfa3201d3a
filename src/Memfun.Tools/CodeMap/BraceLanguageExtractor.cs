using System.Text;

namespace Memfun.Tools.CodeMap;

/// <summary>
/// The shared engine of the brace languages (JavaScript/TypeScript, Go, Rust, Java): blanks comments
/// and literals, walks the text line by line tracking braces, asks the language to recognise a
/// declaration at the start of each line that is not inside a function body, and cuts the signature
/// at the first '{' or ';' outside parentheses.
/// </summary>
/// <remarks>Stateless and thread-safe. Malformed code yields what could be recognised; it never throws.</remarks>
internal abstract class BraceLanguageExtractor : ISymbolExtractor
{
    private const int MaxSignatureChars = 1200;
    private const int MaxSignatureLines = 12;

    public abstract string Language { get; }

    protected abstract ScrubDialect Dialect { get; }

    /// <summary>Recognises a declaration in <paramref name="code"/> (a scrubbed line from its first non-blank).</summary>
    /// <param name="code">The scrubbed line, trimmed at the start.</param>
    /// <param name="container">The enclosing container (class, impl…), or null at top level.</param>
    protected abstract Declaration? Recognize(string code, SymbolBuilder? container);

    /// <summary>Lets a language rearrange the result (Go attaches methods to their receiver types).</summary>
    protected virtual List<SymbolBuilder> Arrange(List<SymbolBuilder> topLevel) => topLevel;

    public IReadOnlyList<CodeSymbol> Extract(string text)
    {
        var code = SourceScrubber.Scrub(text, Dialect);
        var top = new List<SymbolBuilder>();
        var stack = new List<Scope>();
        var pending = new Dictionary<int, SymbolBuilder>();
        var opaque = 0;
        var skipUntil = 0;
        var line = 0;
        var start = 0;
        var n = code.Length;
        while (start <= n)
        {
            line++;
            var end = Array.IndexOf(code, '\n', start);
            if (end < 0)
            {
                end = n;
            }

            var p = start;
            while (p < end && (code[p] == ' ' || code[p] == '\t' || code[p] == '\r'))
            {
                p++;
            }

            if (p < end && p >= skipUntil && opaque == 0)
            {
                var container = stack.Count > 0 ? stack[^1].Symbol : null;
                if (container is null || container.IsContainer)
                {
                    var first = code[p];
                    if (first != '}' && first != ')' && first != ']' && first != '.' && first != ',')
                    {
                        var candidate = Recognize(new string(code, p, end - p).TrimEnd(), container);
                        if (candidate is { } d)
                        {
                            if (d.Name.AsSpan().Trim().Trim("\"'`").IsEmpty)
                            {
                                // A quoted name (module "x", 'key'()) was blanked with the literal: read it from the original line.
                                var original = Recognize(text.Substring(p, end - p).TrimEnd(), container);
                                d = original is { } o ? d with { Name = o.Name.Trim('"', '\'', '`') } : d;
                            }

                            var (sigEnd, brace) = SignatureEnd(code, p, d.SpansLines);
                            var builder = new SymbolBuilder(d.Kind, d.Name, Collapse(text, p, sigEnd), line, d.IsPublic, d.IsContainer);
                            (container?.Children ?? top).Add(builder);
                            if (brace >= 0)
                            {
                                pending[brace] = builder;
                            }

                            skipUntil = sigEnd;
                        }
                    }
                }
            }

            for (var k = p; k < end; k++)
            {
                var c = code[k];
                if (c == '{')
                {
                    SymbolBuilder? owner = null;
                    if (pending.Count > 0 && pending.Remove(k, out var b))
                    {
                        owner = b;
                    }

                    var isOpaque = owner is not null && !owner.IsContainer;
                    stack.Add(new Scope(owner is not null && owner.IsContainer ? owner : null, isOpaque));
                    if (isOpaque)
                    {
                        opaque++;
                    }
                }
                else if (c == '}' && stack.Count > 0)
                {
                    if (stack[^1].Opaque)
                    {
                        opaque--;
                    }

                    stack.RemoveAt(stack.Count - 1);
                }
            }

            start = end + 1;
        }

        return [.. Arrange(top).Select(static b => b.Build())];
    }

    /// <summary>Where the signature from <paramref name="p"/> ends, and the offset of its body brace (-1 when none).</summary>
    private static (int End, int Brace) SignatureEnd(char[] code, int p, bool spansLines)
    {
        var depth = 0;
        var lines = 0;
        var limit = Math.Min(code.Length, p + MaxSignatureChars);
        for (var k = p; k < limit; k++)
        {
            switch (code[k])
            {
                case '(' or '[':
                    depth++;
                    break;
                case ')' or ']':
                    depth = Math.Max(0, depth - 1);
                    break;
                case '{' when depth == 0:
                    return (k, k);
                case ';' when depth == 0:
                    return (k, -1);
                case '\n':
                    lines++;
                    if ((depth == 0 && !spansLines && !ContinuesLine(code, k)) || lines >= MaxSignatureLines)
                    {
                        return (k, -1);
                    }

                    break;
            }
        }

        return (limit, -1);
    }

    /// <summary>True when the line ending at <paramref name="newline"/> obviously continues (ends with an operator, comma or '=&gt;').</summary>
    private static bool ContinuesLine(char[] code, int newline)
    {
        var k = newline - 1;
        while (k >= 0 && (code[k] == ' ' || code[k] == '\t' || code[k] == '\r'))
        {
            k--;
        }

        if (k < 0)
        {
            return false;
        }

        if (code[k] is ',' or '=' or ':' or '|' or '&' or '(' or '<')
        {
            return true;
        }

        // A brace on its own next line belongs to this declaration.
        var j = newline + 1;
        while (j < code.Length && (code[j] == ' ' || code[j] == '\t' || code[j] == '\r'))
        {
            j++;
        }

        return j < code.Length && code[j] == '{';
    }

    /// <summary>The original text of [from, to) on one line: whitespace runs collapsed, trailing '=' and spaces cut.</summary>
    internal static string Collapse(string text, int from, int to)
    {
        var sb = new StringBuilder(Math.Min(to - from, 256));
        var space = false;
        for (var k = from; k < to && k < text.Length; k++)
        {
            var c = text[k];
            if (char.IsWhiteSpace(c))
            {
                space = sb.Length > 0;
                continue;
            }

            if (space)
            {
                sb.Append(' ');
                space = false;
            }

            sb.Append(c);
        }

        var s = sb.ToString().TrimEnd();
        return s.Length > 400 ? s[..400] + "…" : s;
    }

    private readonly record struct Scope(SymbolBuilder? Symbol, bool Opaque);
}
