using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Memfun.Tools.Web;

/// <summary>
/// Turns an HTML page into Markdown: picks the main content (<c>main</c>, <c>[role=main]</c>,
/// <c>article</c>, else <c>body</c>), drops script, style, navigation, footers, forms and hidden
/// elements, and writes headings, paragraphs, lists, links (absolute), code blocks, block quotes,
/// emphasis and tables (as pipe tables, roughly).
/// </summary>
/// <remarks>Stateless and thread-safe. Input is untrusted; output is plain Markdown text.</remarks>
internal static class HtmlMarkdownConverter
{
    private static readonly HashSet<string> KeptAttributes = new(StringComparer.OrdinalIgnoreCase)
    {
        "href", "src", "alt", "class", "hidden", "aria-hidden", "role", "start", "id",
    };

    // Only what the conversion reads: no positions, comments, script or style text, unused attributes.
    private static readonly HtmlParser Parser = new(new HtmlParserOptions
    {
        IsScripting = false,
        IsNotSupportingFrames = true,
        DisableElementPositionTracking = true,
        SkipComments = true,
        SkipScriptText = true,
        SkipRawText = true,
        SkipCDATA = true,
        SkipProcessingInstructions = true,
        MaximumDepth = 512,
        ShouldEmitAttribute = KeepAttribute,
    });

    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "nav", "footer", "aside", "form", "iframe", "svg", "canvas",
        "button", "select", "input", "textarea", "object", "embed", "video", "audio", "head", "dialog", "menu",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> KeptAttributeLookup = KeptAttributes.GetAlternateLookup<ReadOnlySpan<char>>();

    private static bool KeepAttribute(ref AngleSharp.Html.Parser.Tokens.Struct.StructHtmlToken token, ReadOnlyMemory<char> name) =>
        KeptAttributeLookup.Contains(name.Span);

    /// <summary>Parses <paramref name="html"/> and converts it.</summary>
    public static MarkdownPage Convert(string html, Uri? baseUri = null)
    {
        ArgumentNullException.ThrowIfNull(html);
        var document = Parser.ParseDocument(html);
        return Convert(document, baseUri);
    }

    /// <summary>Converts a parsed document.</summary>
    public static MarkdownPage Convert(IHtmlDocument document, Uri? baseUri = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        var root = MainContent(document, out var hasMain);
        var writer = new MarkdownWriter(baseUri, skipHeaders: !hasMain);
        if (root is not null)
        {
            writer.Children(root);
        }

        return new MarkdownPage(document.Title?.Trim() ?? string.Empty, writer.ToString(), hasMain);
    }

    /// <summary>Converts an HTML fragment (for example a readability extract).</summary>
    public static string ConvertFragment(string html, Uri? baseUri = null)
    {
        var document = Parser.ParseDocument("<html><body>" + html + "</body></html>");
        var writer = new MarkdownWriter(baseUri, skipHeaders: false);
        if (document.Body is { } body)
        {
            writer.Children(body);
        }

        return writer.ToString();
    }

    private static IElement? MainContent(IHtmlDocument document, out bool hasMain)
    {
        hasMain = true;
        var main = document.QuerySelector("main, [role=main]");
        if (main is not null)
        {
            return main;
        }

        var articles = document.QuerySelectorAll("article");
        if (articles.Length > 0)
        {
            return articles.Length == 1 ? articles[0] : articles.MaxBy(a => a.TextContent.Length);
        }

        hasMain = false;
        return document.Body;
    }

    private sealed class MarkdownWriter(Uri? baseUri, bool skipHeaders, int capacity = 4096)
    {
        private readonly StringBuilder _out = new(capacity);
        private readonly List<string> _prefixes = [];
        private string _prefix = string.Empty;
        private int _pendingNewlines;
        private bool _lastWasSpace = true;
        private bool _suppressBreak;
        private int _listDepth;
        private bool _atItemStart;

        public override string ToString() => _out.ToString().Trim('\n', ' ') + "\n";

        public void Children(INode node)
        {
            // Index the child list: AngleSharp's NextSibling searches the parent's list, quadratic on wide nodes.
            var children = node.ChildNodes;
            for (var i = 0; i < children.Length; i++)
            {
                Node(children[i]);
            }
        }

        private void Node(INode node)
        {
            switch (node)
            {
                case IText text:
                    Text(text.Data);
                    break;
                case IElement element:
                    Element(element);
                    break;
                default:
                    break;
            }
        }

        private void Element(IElement e)
        {
            var name = e.LocalName;
            if (Skipped.Contains(name) || (skipHeaders && name == "header") || e.HasAttribute("hidden")
                || string.Equals(e.GetAttribute("aria-hidden"), "true", StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            switch (name)
            {
                case "h1" or "h2" or "h3" or "h4" or "h5" or "h6":
                    Block();
                    Write(new string('#', name[1] - '0') + " ");
                    Inline(e);
                    Block();
                    break;
                case "p":
                    Block();
                    Children(e);
                    Block();
                    break;
                case "br":
                    Break();
                    break;
                case "hr":
                    Block();
                    Write("---");
                    Block();
                    break;
                case "ul" or "ol":
                    List(e, ordered: name == "ol");
                    break;
                case "pre":
                    Pre(e);
                    break;
                case "code" or "kbd" or "samp" or "tt":
                    InlineCode(e.TextContent);
                    break;
                case "a":
                    Link(e);
                    break;
                case "img":
                    Image(e);
                    break;
                case "strong" or "b":
                    Wrapped(e, "**");
                    break;
                case "em" or "i":
                    Wrapped(e, "*");
                    break;
                case "del" or "s" or "strike":
                    Wrapped(e, "~~");
                    break;
                case "blockquote":
                    Block();
                    if (_out.Length > 0)
                    {
                        FlushNewlines();
                    }

                    Push("> ");
                    _out.Append("> ");
                    _atItemStart = true;
                    Children(e);
                    _atItemStart = false;
                    Pop();
                    Block();
                    break;
                case "table":
                    Table(e);
                    break;
                case "dt":
                    Block();
                    Wrapped(e, "**");
                    Line();
                    break;
                case "dd":
                    Line();
                    Write(": ");
                    Children(e);
                    Line();
                    break;
                case "div" or "section" or "article" or "main" or "header" or "figure" or "figcaption" or "details" or "summary"
                    or "address" or "dl" or "center" or "li" or "body" or "fieldset" or "caption":
                    Block();
                    Children(e);
                    Block();
                    break;
                default:
                    Children(e);
                    break;
            }
        }

        private void Inline(IElement e)
        {
            _suppressBreak = true;
            Children(e);
            _suppressBreak = false;
        }

        private void Wrapped(IElement e, string mark)
        {
            var inner = InlineText(e);
            if (inner.Length > 0)
            {
                Write(mark + inner + mark);
            }
        }

        private void Link(IElement e)
        {
            var target = Absolute(e.GetAttribute("href"));
            if (target is null)
            {
                Children(e);
                return;
            }

            var inner = InlineText(e);
            if (inner.Length == 0)
            {
                return;
            }

            Write("[" + inner.Replace("]", "\\]", StringComparison.Ordinal) + "](" + target.Replace(")", "%29", StringComparison.Ordinal).Replace(" ", "%20", StringComparison.Ordinal) + ")");
        }

        private string InlineText(IElement e)
        {
            if (e.ChildElementCount == 0)
            {
                return Collapse(e.TextContent);
            }

            var inner = new MarkdownWriter(baseUri, skipHeaders, 64);
            inner._suppressBreak = true;
            inner.Children(e);
            return Collapse(inner.ToString());
        }

        private void Image(IElement e)
        {
            var alt = e.GetAttribute("alt");
            var src = Absolute(e.GetAttribute("src"));
            if (string.IsNullOrWhiteSpace(alt) || src is null)
            {
                return;
            }

            Write("![" + Collapse(alt) + "](" + src + ")");
        }

        private string? Absolute(string? href)
        {
            if (string.IsNullOrWhiteSpace(href) || href.StartsWith('#'))
            {
                return null;
            }

            href = href.Trim();
            var hasScheme = href.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon && !href.AsSpan(0, colon).ContainsAny('/', '?', '#');
            if (hasScheme && Uri.TryCreate(href, UriKind.Absolute, out var abs))
            {
                return abs.Scheme is "http" or "https" or "mailto" ? abs.AbsoluteUri : null;
            }

            if (hasScheme)
            {
                return null;
            }

            if (baseUri is not null && Uri.TryCreate(baseUri, href, out var rel) && rel.Scheme is "http" or "https")
            {
                return rel.AbsoluteUri;
            }

            return baseUri is null ? href : null;
        }

        private void List(IElement list, bool ordered)
        {
            var nested = _listDepth > 0;
            _listDepth++;
            if (nested)
            {
                Line();
            }
            else
            {
                Block();
            }

            var index = ordered && int.TryParse(list.GetAttribute("start"), out var start) ? start : 1;
            foreach (var item in list.Children)
            {
                if (item.LocalName != "li")
                {
                    if (item.LocalName is "ul" or "ol")
                    {
                        List(item, item.LocalName == "ol");
                    }

                    continue;
                }

                Line();
                var marker = ordered ? $"{index++}. " : "- ";
                Write(marker);
                _lastWasSpace = true;
                Push(new string(' ', marker.Length));
                _suppressBreak = false;
                _atItemStart = true;
                Children(item);
                _atItemStart = false;
                Pop();
                _pendingNewlines = Math.Min(_pendingNewlines, 1);
                Line();
            }

            _listDepth--;
            if (!nested)
            {
                Block();
            }
        }

        private void Pre(IElement e)
        {
            var code = e.QuerySelector("code") ?? e;
            var language = Language(code) ?? Language(e) ?? string.Empty;
            var text = e.TextContent.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n', ' ');
            var fence = text.Contains("```", StringComparison.Ordinal) ? "````" : "```";
            Block();
            Write(fence + language);
            foreach (var line in text.Split('\n'))
            {
                NewLine();
                _out.Append(line);
            }

            NewLine();
            _out.Append(fence);
            _lastWasSpace = false;
            Block();
        }

        private static string? Language(IElement e)
        {
            foreach (var cls in e.ClassList)
            {
                if (cls.StartsWith("language-", StringComparison.Ordinal))
                {
                    return cls["language-".Length..];
                }

                if (cls.StartsWith("lang-", StringComparison.Ordinal))
                {
                    return cls["lang-".Length..];
                }
            }

            return null;
        }

        private void InlineCode(string text)
        {
            text = Collapse(text);
            if (text.Length == 0)
            {
                return;
            }

            var tick = text.Contains('`', StringComparison.Ordinal) ? "``" : "`";
            Write(tick + (tick.Length == 2 ? " " + text + " " : text) + tick);
        }

        private void Table(IElement table)
        {
            Block();
            var rows = table.QuerySelectorAll("tr").Where(r => r.Closest("table") == table).ToList();
            var first = true;
            foreach (var row in rows)
            {
                var cells = row.Children.Where(c => c.LocalName is "td" or "th").ToList();
                if (cells.Count == 0)
                {
                    continue;
                }

                Line();
                var line = new StringBuilder("|");
                foreach (var cell in cells)
                {
                    var inner = new MarkdownWriter(baseUri, skipHeaders, 64);
                    inner.Children(cell);
                    line.Append(' ').Append(Collapse(inner.ToString()).Replace("|", "\\|", StringComparison.Ordinal)).Append(" |");
                }

                Write(line.ToString());
                if (first)
                {
                    Line();
                    Write("|" + string.Concat(Enumerable.Repeat(" --- |", cells.Count)));
                    first = false;
                }
            }

            Block();
        }

        private void Text(string data)
        {
            var sb = _out;
            var span = data.AsSpan();
            var i = 0;
            while (i < span.Length)
            {
                if (char.IsWhiteSpace(span[i]))
                {
                    _spacePending = true;
                    i++;
                    continue;
                }

                var end = i;
                while (end < span.Length && !char.IsWhiteSpace(span[end]))
                {
                    end++;
                }

                if (_pendingNewlines > 0)
                {
                    FlushNewlines();
                }
                else if (_spacePending && sb.Length > 0 && !char.IsWhiteSpace(sb[^1]))
                {
                    sb.Append(' ');
                }

                _spacePending = false;
                _atItemStart = false;
                sb.Append(span[i..end]);
                _lastWasSpace = false;
                i = end;
            }
        }

        private bool _spacePending;

        private void Write(string s)
        {
            if (_pendingNewlines > 0)
            {
                FlushNewlines();
            }
            else if (_spacePending && _out.Length > 0 && !char.IsWhiteSpace(_out[^1]))
            {
                _out.Append(' ');
            }

            _spacePending = false;
            _out.Append(s);
            _atItemStart = false;
            _lastWasSpace = s.Length > 0 && char.IsWhiteSpace(s[^1]);
        }

        private void TrimTrailingSpace()
        {
            _spacePending = false;
            while (_out.Length > 0 && _out[^1] == ' ')
            {
                _out.Length--;
            }
        }

        private void FlushNewlines()
        {
            if (_out.Length > 0)
            {
                TrimTrailingSpace();
                for (var i = 0; i < _pendingNewlines; i++)
                {
                    _out.Append('\n');
                    if (i < _pendingNewlines - 1)
                    {
                        _out.Append(_prefix.TrimEnd());
                    }
                }

                _out.Append(_prefix);
            }

            _pendingNewlines = 0;
            _lastWasSpace = true;
        }

        private void NewLine()
        {
            _out.Append('\n').Append(_prefix);
        }

        private void Block()
        {
            if (!_suppressBreak && !_atItemStart)
            {
                _pendingNewlines = Math.Max(_pendingNewlines, 2);
            }
        }

        private void Line()
        {
            if (!_suppressBreak && !_atItemStart)
            {
                _pendingNewlines = Math.Max(_pendingNewlines, 1);
            }
        }

        private void Break()
        {
            if (_suppressBreak)
            {
                _spacePending = true;
                return;
            }

            _pendingNewlines = Math.Max(_pendingNewlines, 1);
        }

        private void Push(string prefix)
        {
            _prefixes.Add(prefix);
            _prefix = string.Concat(_prefixes);
        }

        private void Pop()
        {
            _prefixes.RemoveAt(_prefixes.Count - 1);
            _prefix = string.Concat(_prefixes);
        }

        private static string Collapse(string s)
        {
            var sb = new StringBuilder(s.Length);
            var space = false;
            foreach (var ch in s)
            {
                if (char.IsWhiteSpace(ch))
                {
                    space = sb.Length > 0;
                    continue;
                }

                if (space)
                {
                    sb.Append(' ');
                    space = false;
                }

                sb.Append(ch);
            }

            return sb.ToString();
        }
    }
}
