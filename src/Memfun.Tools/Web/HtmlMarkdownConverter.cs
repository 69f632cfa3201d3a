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
        // "style" is not read here but by readability (SmartReader), which runs on the same parsed document.
        "href", "src", "alt", "class", "hidden", "aria-hidden", "role", "start", "id", "style",
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

    // LocalName of an HTML element is lower case: ordinal lookups.
    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal)
    {
        "script", "style", "noscript", "template", "nav", "footer", "aside", "form", "iframe", "svg", "canvas",
        "button", "select", "input", "textarea", "object", "embed", "video", "audio", "head", "dialog", "menu",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> KeptAttributeLookup = KeptAttributes.GetAlternateLookup<ReadOnlySpan<char>>();

    private static bool KeepAttribute(ref AngleSharp.Html.Parser.Tokens.Struct.StructHtmlToken token, ReadOnlyMemory<char> name) =>
        KeptAttributeLookup.Contains(name.Span);

    /// <summary>Parses <paramref name="html"/> and converts it.</summary>
    public static MarkdownPage Convert(string html, Uri? baseUri = null) => Convert(Parse(html), baseUri, html.Length / 2);

    /// <summary>
    /// Parses <paramref name="html"/> with the lean options the conversion needs (no scripting, positions,
    /// comments, script or style text; only the attributes the conversion and readability read).
    /// </summary>
    public static IHtmlDocument Parse(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        return Parser.ParseDocument(html);
    }

    /// <summary>Converts a parsed document.</summary>
    public static MarkdownPage Convert(IHtmlDocument document, Uri? baseUri = null) => Convert(document, baseUri, 4096);

    /// <summary>Converts a parsed document into a buffer sized once (<paramref name="capacity"/> characters): fewer, smaller allocations while the young DOM is alive mean fewer collections that copy it.</summary>
    internal static MarkdownPage Convert(IHtmlDocument document, Uri? baseUri, int capacity)
    {
        ArgumentNullException.ThrowIfNull(document);
        var root = MainContent(document, out var hasMain);
        var writer = new MarkdownWriter(baseUri, skipHeaders: !hasMain, Math.Clamp(capacity, 256, 1 << 22));
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

    /// <summary>The first <c>main</c> or <c>[role=main]</c> element in document order, else the article with the most text, else the body.</summary>
    private static IElement? MainContent(IHtmlDocument document, out bool hasMain)
    {
        hasMain = true;
        IElement? main = null;
        List<IElement>? articles = null;
        if (document.DocumentElement is { } html)
        {
            Find(html, ref main, ref articles);
        }

        if (main is not null)
        {
            return main;
        }

        if (articles is { Count: > 0 })
        {
            return articles.Count == 1 ? articles[0] : articles.MaxBy(a => a.TextContent.Length);
        }

        hasMain = false;
        return document.Body;

        // One depth-first walk (a CSS selector here costs a selector match per element, twice).
        static bool Find(IElement e, ref IElement? main, ref List<IElement>? articles)
        {
            if (e.LocalName == "main" || string.Equals(e.GetAttribute("role"), "main", StringComparison.OrdinalIgnoreCase))
            {
                main = e;
                return true;
            }

            if (e.LocalName == "article")
            {
                (articles ??= []).Add(e);
            }

            var children = e.Children;
            for (var i = 0; i < children.Length; i++)
            {
                if (Find(children[i], ref main, ref articles))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private sealed class MarkdownWriter(Uri? baseUri, bool skipHeaders, int capacity = 4096)
    {
        private static readonly string[] HeadingMarks = ["# ", "## ", "### ", "#### ", "##### ", "###### "];
        private readonly StringBuilder _out = new(capacity);
        private readonly List<string> _prefixes = [];
        private string _prefix = string.Empty;
        private int _noSpaceAt = -1;
        private int _pendingNewlines;
        private bool _lastWasSpace = true;
        private bool _suppressBreak;
        private int _listDepth;
        private bool _atItemStart;

        public override string ToString()
        {
            var end = _out.Length;
            while (end > 0 && _out[end - 1] is '\n' or ' ')
            {
                end--;
            }

            var start = 0;
            while (start < end && _out[start] is '\n' or ' ')
            {
                start++;
            }

            return string.Create(end - start + 1, (_out, start), static (span, state) =>
            {
                state._out.CopyTo(state.start, span[..^1], span.Length - 1);
                span[^1] = '\n';
            });
        }

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
                    Write(HeadingMarks[name[1] - '1']);
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
                    InlineCode(e);
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

        private void Wrapped(IElement e, string mark) => WriteInline(e, mark, mark, '\0');

        /// <summary>
        /// Writes the content of <paramref name="e"/> on the current line between <paramref name="open"/> and
        /// <paramref name="close"/> (blocks and breaks become spaces, whitespace at either end moves outside
        /// the marks, <paramref name="escape"/> gets a backslash); writes nothing when the content is empty.
        /// </summary>
        private bool WriteInline(IElement e, string open, string close, char escape)
        {
            var (length, newlines, space, lastWasSpace, itemStart) = (_out.Length, _pendingNewlines, _spacePending, _lastWasSpace, _atItemStart);
            Write(open);
            var start = _out.Length;
            var (suppress, noSpaceAt) = (_suppressBreak, _noSpaceAt);
            _suppressBreak = true;
            _noSpaceAt = start;
            Children(e);
            _suppressBreak = suppress;
            _noSpaceAt = noSpaceAt;
            if (_out.Length == start)
            {
                (_out.Length, _pendingNewlines, _spacePending, _lastWasSpace, _atItemStart) = (length, newlines, space, lastWasSpace, itemStart);
                return false;
            }

            if (escape != '\0')
            {
                for (var i = _out.Length - 1; i >= start; i--)
                {
                    if (_out[i] == escape)
                    {
                        _out.Insert(i, '\\');
                    }
                }
            }

            var pending = _spacePending;
            _out.Append(close);
            _spacePending = pending;
            _lastWasSpace = false;
            return true;
        }

        private void Link(IElement e)
        {
            var target = Absolute(e.GetAttribute("href"));
            if (target is null)
            {
                Children(e);
                return;
            }

            if (WriteInline(e, "[", "](", ']'))
            {
                var pending = _spacePending;
                foreach (var ch in target)
                {
                    _ = ch switch
                    {
                        ')' => _out.Append("%29"),
                        ' ' => _out.Append("%20"),
                        _ => _out.Append(ch),
                    };
                }

                _out.Append(')');
                _spacePending = pending;
            }
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
            var code = FirstCode(e) ?? e;
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

        private static IElement? FirstCode(IElement e)
        {
            var children = e.Children;
            for (var i = 0; i < children.Length; i++)
            {
                var child = children[i];
                if (child.LocalName == "code")
                {
                    return child;
                }

                if (FirstCode(child) is { } deeper)
                {
                    return deeper;
                }
            }

            return null;
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

        private void InlineCode(IElement e)
        {
            var children = e.ChildNodes;
            var text = children.Length == 1 && children[0] is IText only ? only.Data : e.TextContent;
            var span = text.AsSpan().Trim();
            if (span.IsEmpty)
            {
                return;
            }

            var tick = span.Contains('`') ? "`` " : "`";
            Write(tick);
            var space = false;
            foreach (var ch in span)
            {
                if (char.IsWhiteSpace(ch))
                {
                    space = true;
                    continue;
                }

                if (space)
                {
                    _out.Append(' ');
                    space = false;
                }

                _out.Append(ch);
            }

            _out.Append(tick.Length == 1 ? "`" : " ``");
            _lastWasSpace = false;
        }

        private void Table(IElement table)
        {
            Block();
            var first = true;
            Rows(table, ref first);
            Block();
        }

        /// <summary>The rows of a table (directly or in thead/tbody/tfoot, where the parser puts them) as pipe-table lines.</summary>
        private void Rows(IElement parent, ref bool first)
        {
            var children = parent.Children;
            for (var i = 0; i < children.Length; i++)
            {
                var child = children[i];
                switch (child.LocalName)
                {
                    case "tr":
                        Row(child, ref first);
                        break;
                    case "thead" or "tbody" or "tfoot":
                        Rows(child, ref first);
                        break;
                    default:
                        break;
                }
            }
        }

        private void Row(IElement row, ref bool first)
        {
            var cells = row.Children;
            var count = 0;
            for (var i = 0; i < cells.Length; i++)
            {
                count += cells[i].LocalName is "td" or "th" ? 1 : 0;
            }

            if (count == 0)
            {
                return;
            }

            Line();
            Write("|");
            for (var i = 0; i < cells.Length; i++)
            {
                if (cells[i].LocalName is "td" or "th")
                {
                    _out.Append(' ');
                    _spacePending = false;
                    WriteInline(cells[i], string.Empty, string.Empty, '|');
                    _spacePending = false;
                    _out.Append(" |");
                }
            }

            _lastWasSpace = false;
            if (first)
            {
                Line();
                Write("|" + string.Concat(Enumerable.Repeat(" --- |", count)));
                first = false;
            }
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
                else if (_spacePending && sb.Length > 0 && sb.Length != _noSpaceAt && !char.IsWhiteSpace(sb[^1]))
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
            else if (_spacePending && _out.Length > 0 && _out.Length != _noSpaceAt && !char.IsWhiteSpace(_out[^1]))
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
            if (_suppressBreak)
            {
                _spacePending = true;
            }
            else if (!_atItemStart)
            {
                _pendingNewlines = Math.Max(_pendingNewlines, 2);
            }
        }

        private void Line()
        {
            if (_suppressBreak)
            {
                _spacePending = true;
            }
            else if (!_atItemStart)
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
