using System.Text.RegularExpressions;

namespace Memfun.Tools.CodeMap;

/// <summary>
/// Python: classes (nested too) with their methods, functions (async, with decorators, parameters over
/// several lines, return annotations, PEP 695 type parameters). Nesting follows indentation; the bodies
/// of functions are not mapped. Names with a leading '_' are private, dunder methods public.
/// </summary>
internal sealed partial class PythonExtractor : ISymbolExtractor
{
    private const int MaxSignatureChars = 1200;

    public string Language => "python";

    public IReadOnlyList<CodeSymbol> Extract(string text)
    {
        var code = new string(SourceScrubber.Scrub(text, ScrubDialect.Python));
        var top = new List<SymbolBuilder>();
        var stack = new List<(int Indent, SymbolBuilder Symbol)>();
        var decorators = new List<string>();
        var line = 0;
        var start = 0;
        var skipUntil = 0;
        while (start <= code.Length)
        {
            line++;
            var end = code.IndexOf('\n', start);
            if (end < 0)
            {
                end = code.Length;
            }

            var p = start;
            while (p < end && (code[p] == ' ' || code[p] == '\t'))
            {
                p++;
            }

            // Lines that start with a string (the end of a multi-line literal) or a closing bracket
            // (a continued expression) say nothing about nesting.
            if (p < end && p >= skipUntil && code[p] is not ('\r' or '"' or '\'' or ')' or ']' or '}'))
            {
                var indent = p - start;
                var body = code.AsSpan(p, end - p);
                if (body[0] == '@')
                {
                    decorators.Add(text.Substring(p, end - p).Trim());
                }
                else
                {
                    while (stack.Count > 0 && stack[^1].Indent >= indent)
                    {
                        stack.RemoveAt(stack.Count - 1);
                    }

                    var parent = stack.Count > 0 ? stack[^1].Symbol : null;
                    var m = DefRegex().Match(code, p, end - p);
                    if (m.Success && (parent is null || parent.IsContainer))
                    {
                        var kind = m.Groups["kw"].Value == "class" ? "class" : parent?.Kind == "class" ? "method" : "function";
                        var name = m.Groups["name"].Value;
                        var sigEnd = SignatureEnd(code, p);
                        var signature = BraceLanguageExtractor.Collapse(text, p, sigEnd);
                        if (decorators.Count > 0)
                        {
                            signature = string.Join(' ', decorators) + " " + signature;
                        }

                        if (name == "__init__")
                        {
                            kind = "constructor";
                        }

                        var isPublic = !name.StartsWith('_') || (name.StartsWith("__", StringComparison.Ordinal) && name.EndsWith("__", StringComparison.Ordinal));
                        var symbol = new SymbolBuilder(kind, name, signature, line, isPublic && (parent?.IsPublic ?? true), kind == "class");
                        (parent?.Children ?? top).Add(symbol);
                        stack.Add((indent, symbol));
                        skipUntil = sigEnd;
                    }
                    decorators.Clear();
                }
            }

            start = end + 1;
        }

        return [.. top.Select(static b => b.Build())];
    }

    /// <summary>The offset of the ':' that ends the header starting at <paramref name="p"/> (outside brackets).</summary>
    private static int SignatureEnd(string code, int p)
    {
        var depth = 0;
        var limit = Math.Min(code.Length, p + MaxSignatureChars);
        for (var k = p; k < limit; k++)
        {
            switch (code[k])
            {
                case '(' or '[' or '{':
                    depth++;
                    break;
                case ')' or ']' or '}':
                    depth = Math.Max(0, depth - 1);
                    break;
                case ':' when depth == 0:
                    return k;
                case '\n' when depth == 0 && (k == 0 || code[k - 1] != '\\'):
                    return k;
            }
        }

        return limit;
    }

    [GeneratedRegex(@"\G(?:async\s+)?(?<kw>def|class)\s+(?<name>[A-Za-z_]\w*)", RegexOptions.None, 1000)]
    private static partial Regex DefRegex();
}
