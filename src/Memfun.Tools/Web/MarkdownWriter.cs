using AngleSharp.Dom;

namespace Memfun.Tools.Web;

/// <summary>
/// Walks a parsed HTML tree from a root and writes Markdown: headings, paragraphs, lists (nested), links made
/// absolute, images with alt text, code blocks with their language, inline code, emphasis, block quotes,
/// pipe tables; drops script, style, navigation, footers, forms, hidden elements (and <c>header</c> when
/// asked). Whitespace collapses as a browser shows it.
/// </summary>
/// <remarks>
/// One instance per conversion, not thread-safe. Reads AngleSharp's DOM and never changes it. Recursion follows
/// element nesting, which the parser caps (512 levels), so the walk's stack use is bounded. Inline elements
/// (links, emphasis, table cells) are written in place and rolled back when empty, not built in nested writers
/// and copied. Children are read by index (AngleSharp's <c>NextSibling</c> searches the parent's list).
/// </remarks>
internal sealed class MarkdownWriter(Uri? baseUri, int capacity = 4096) : IDisposable
{
    // Local names are lower case: ordinal lookups.
    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal)
    {
        "script", "style", "noscript", "template", "nav", "footer", "aside", "form", "iframe", "svg", "canvas",
        "button", "select", "input", "textarea", "object", "embed", "video", "audio", "head", "dialog", "menu",
    };

    // Quote marks and list indents beyond this depth are not repeated: every line of a page nested thousands of
    // levels deep would otherwise carry kilobytes of prefix.
    private const int MaximumPrefixes = 64;

    private static readonly string[] HeadingMarks = ["# ", "## ", "### ", "#### ", "##### ", "###### "];
    private static readonly string[] Indents = [.. Enumerable.Range(0, 12).Select(n => new string(' ', n))];
    private static readonly string[] Separators = [.. Enumerable.Range(0, 17).Select(n => "|" + string.Concat(Enumerable.Repeat(" --- |", n)))];
    private readonly MarkdownBuffer _out = new(capacity);
    private readonly List<string> _prefixStack = [];
    private Dictionary<string, string?>? _targets;
    private string _prefix = string.Empty;
    private int _noSpaceAt = -1;
    private int _pendingNewlines;
    private bool _lastWasSpace = true;
    private bool _spacePending;
    private bool _suppressBreak;
    private int _listDepth;
    private bool _atItemStart;

    /// <summary>Whether <c>header</c> elements are dropped (when no main content element was found). Default false.</summary>
    public bool SkipHeaders { get; set; }

    /// <summary>The Markdown written so far, without leading or trailing blank lines, ending with one newline.</summary>
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

        return string.Concat(_out.Slice(start, end - start), "\n");
    }

    /// <inheritdoc/>
    public void Dispose() => _out.Dispose();

    /// <summary>Writes the children of <paramref name="node"/> (the node itself is not judged or written).</summary>
    public void Children(INode node)
    {
        var nodes = node.ChildNodes;
        for (var i = 0; i < nodes.Length; i++)
        {
            switch (nodes[i])
            {
                case IElement element:
                    Element(element);
                    break;
                case IText text:
                    Text(text.Data);
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>True when the element carries <c>hidden</c> or <c>aria-hidden="true"</c> (one pass over its few attributes).</summary>
    private static bool IsHidden(IElement e)
    {
        var attributes = e.Attributes;
        for (var i = 0; i < attributes.Length; i++)
        {
            var attribute = attributes[i];
            if (attribute is null)
            {
                continue;
            }

            switch (attribute.Name)
            {
                case "hidden":
                    return true;
                case "aria-hidden" when string.Equals(attribute.Value.Trim(), "true", StringComparison.OrdinalIgnoreCase):
                    return true;
                default:
                    break;
            }
        }

        return false;
    }

    private void Element(IElement e)
    {
        var name = e.LocalName;
        if (Skipped.Contains(name) || (SkipHeaders && name == "header") || IsHidden(e))
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
                Block();
                var first = true;
                Rows(e, ref first);
                Block();
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
            Escape(start, escape);
        }

        var pending = _spacePending;
        _out.Append(close);
        _spacePending = pending;
        _lastWasSpace = false;
        return true;
    }

    /// <summary>Puts a backslash before each <paramref name="escape"/> written since <paramref name="start"/>, in one pass (nested cells re-escape their content, so this runs once per level).</summary>
    private void Escape(int start, char escape)
    {
        _out.PrefixEach(start, escape, '\\');
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

        Write("![");
        AppendCollapsed(alt);
        _out.Append("](").Append(src).Append(')');
    }

    /// <summary>The link target for <paramref name="href"/>, resolved once per distinct value (pages repeat their links).</summary>
    private string? Absolute(string? href)
    {
        if (href is null)
        {
            return null;
        }

        _targets ??= new(StringComparer.Ordinal);
        if (!_targets.TryGetValue(href, out var target))
        {
            target = Resolve(href);
            _targets[href] = target;
        }

        return target;
    }

    private string? Resolve(string href)
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
        var nodes = list.ChildNodes;
        for (var i = 0; i < nodes.Length; i++)
        {
            if (nodes[i] is not IElement item)
            {
                continue;
            }

            var name = item.LocalName;
            if (name != "li")
            {
                if (name is "ul" or "ol")
                {
                    List(item, name == "ol");
                }

                continue;
            }

            Line();
            var marker = ordered ? $"{index++}. " : "- ";
            Write(marker);
            _lastWasSpace = true;
            Push(marker.Length < Indents.Length ? Indents[marker.Length] : new string(' ', marker.Length));
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
        var code = TryFirstCode(e, out var found) ? found : e;
        var language = Language(code) ?? Language(e) ?? string.Empty;
        var text = e.TextContent.AsSpan().TrimEnd("\n\r ");
        var fence = text.Contains("```", StringComparison.Ordinal) ? "````" : "```";
        Block();
        Write(fence + language);
        NewLine();

        // Each line end (\r\n, \n, or a lone \r written as a reference) starts a line under the current prefix.
        while (text.IndexOfAny('\r', '\n') is var end and >= 0)
        {
            _out.Append(text[..end]);
            NewLine();
            text = text[(end + (text[end] == '\r' && end + 1 < text.Length && text[end + 1] == '\n' ? 2 : 1))..];
        }

        _out.Append(text);
        NewLine();
        _out.Append(fence);
        _lastWasSpace = false;
        Block();
    }

    private bool TryFirstCode(IElement e, out IElement code)
    {
        var nodes = e.ChildNodes;
        for (var i = 0; i < nodes.Length; i++)
        {
            if (nodes[i] is not IElement child)
            {
                continue;
            }

            if (child.LocalName == "code")
            {
                code = child;
                return true;
            }

            if (TryFirstCode(child, out code))
            {
                return true;
            }
        }

        code = default!;
        return false;
    }

    private string? Language(IElement e)
    {
        var classes = e.GetAttribute("class");
        if (classes is null)
        {
            return null;
        }

        foreach (var range in classes.AsSpan().SplitAny(" \t\n\f\r"))
        {
            var cls = classes.AsSpan()[range];
            if (cls.StartsWith("language-", StringComparison.Ordinal))
            {
                return cls["language-".Length..].ToString();
            }

            if (cls.StartsWith("lang-", StringComparison.Ordinal))
            {
                return cls["lang-".Length..].ToString();
            }
        }

        return null;
    }

    private void InlineCode(IElement e)
    {
        var span = e.TextContent.AsSpan().Trim();
        if (span.IsEmpty)
        {
            return;
        }

        var tick = span.Contains('`') ? "`` " : "`";
        Write(tick);
        AppendCollapsed(span);
        _out.Append(tick.Length == 1 ? "`" : " ``");
        _lastWasSpace = false;
    }

    /// <summary>The rows of a table (directly or in thead/tbody/tfoot, where the parser puts them) as pipe-table lines.</summary>
    private void Rows(IElement parent, ref bool first)
    {
        var nodes = parent.ChildNodes;
        for (var i = 0; i < nodes.Length; i++)
        {
            if (nodes[i] is not IElement child)
            {
                continue;
            }

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

    private static bool IsCell(INode node) => node is IElement { LocalName: "td" or "th" };

    private void Row(IElement row, ref bool first)
    {
        var count = 0;
        var cells = row.ChildNodes;
        for (var i = 0; i < cells.Length; i++)
        {
            count += IsCell(cells[i]) ? 1 : 0;
        }

        if (count == 0)
        {
            return;
        }

        Line();
        Write("|");
        for (var i = 0; i < cells.Length; i++)
        {
            if (cells[i] is IElement cell && IsCell(cell))
            {
                _out.Append(' ');
                _spacePending = false;
                WriteInline(cell, string.Empty, string.Empty, '|');
                _spacePending = false;
                _out.Append(" |");
            }
        }

        _lastWasSpace = false;
        if (first)
        {
            Line();
            Write(count < Separators.Length ? Separators[count] : "|" + string.Concat(Enumerable.Repeat(" --- |", count)));
            first = false;
        }
    }

    private void Text(ReadOnlySpan<char> span)
    {
        var sb = _out;
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
                    _out.Append(_prefix.AsSpan().TrimEnd());
                }
            }

            _out.Append(_prefix);
        }

        _pendingNewlines = 0;
        _lastWasSpace = true;
    }

    private void NewLine() => _out.Append('\n').Append(_prefix);

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
        _prefixStack.Add(_prefix);
        if (_prefixStack.Count <= MaximumPrefixes)
        {
            _prefix += prefix;
        }
    }

    private void Pop()
    {
        _prefix = _prefixStack[^1];
        _prefixStack.RemoveAt(_prefixStack.Count - 1);
    }

    /// <summary>Appends <paramref name="text"/> with each run of white space (any Unicode white space) turned into one space and none at either end, as a browser shows it.</summary>
    private void AppendCollapsed(ReadOnlySpan<char> text)
    {
        var start = _out.Length;
        var space = false;
        foreach (var ch in text)
        {
            if (char.IsWhiteSpace(ch))
            {
                space = _out.Length > start;
                continue;
            }

            if (space)
            {
                _out.Append(' ');
                space = false;
            }

            _out.Append(ch);
        }
    }
}
