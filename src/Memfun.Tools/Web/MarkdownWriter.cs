using System.Text;

namespace Memfun.Tools.Web;

/// <summary>
/// Walks a parsed HTML tree from a root and writes Markdown: headings, paragraphs, lists (nested), links made
/// absolute, images with alt text, code blocks with their language, inline code, emphasis, block quotes,
/// pipe tables; drops script, style, navigation, footers, forms, hidden elements (and <c>header</c> when
/// asked). Whitespace collapses as a browser shows it.
/// </summary>
/// <typeparam name="TTree">The tree reader: <see cref="DomTree"/> or <see cref="HtmlEventTree"/>.</typeparam>
/// <typeparam name="TNode">The tree's node handle.</typeparam>
/// <remarks>
/// One instance per conversion, not thread-safe. Recursion follows element nesting, which the parsers cap
/// (512 levels), so the walk's stack use is bounded. Inline elements (links, emphasis, table cells) are written
/// in place and rolled back when empty, not built in nested writers and copied.
/// </remarks>
internal sealed class MarkdownWriter<TTree, TNode>(TTree tree, Uri? baseUri, bool skipHeaders, int capacity = 4096)
    where TTree : struct, IMarkupTree<TNode>
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
    private readonly StringBuilder _out = new(capacity);
    private readonly List<string> _prefixes = [];
    private TTree _tree = tree;
    private string _prefix = string.Empty;
    private int _noSpaceAt = -1;
    private int _pendingNewlines;
    private bool _lastWasSpace = true;
    private bool _spacePending;
    private bool _suppressBreak;
    private int _listDepth;
    private bool _atItemStart;

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

        return string.Create(end - start + 1, (_out, start), static (span, state) =>
        {
            state._out.CopyTo(state.start, span[..^1], span.Length - 1);
            span[^1] = '\n';
        });
    }

    /// <summary>Writes the children of <paramref name="node"/> (the node itself is not judged or written).</summary>
    public void Children(TNode node)
    {
        var cursor = 0;
        while (_tree.NextChild(node, ref cursor, out var child))
        {
            if (_tree.IsElement(child))
            {
                Element(child);
            }
            else
            {
                Text(_tree.Text(child));
            }
        }
    }

    private void Element(TNode e)
    {
        var name = _tree.Name(e);
        if (Skipped.Contains(name) || (skipHeaders && name == "header") || _tree.IsHidden(e))
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
                if (_tree.HasFostered(e))
                {
                    Fostered(e);
                }

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

    private void Inline(TNode e)
    {
        _suppressBreak = true;
        Children(e);
        _suppressBreak = false;
    }

    private void Wrapped(TNode e, string mark) => WriteInline(e, mark, mark, '\0');

    /// <summary>
    /// Writes the content of <paramref name="e"/> on the current line between <paramref name="open"/> and
    /// <paramref name="close"/> (blocks and breaks become spaces, whitespace at either end moves outside
    /// the marks, <paramref name="escape"/> gets a backslash); writes nothing when the content is empty.
    /// </summary>
    private bool WriteInline(TNode e, string open, string close, char escape)
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
        var count = 0;
        for (var i = start; i < _out.Length; i++)
        {
            count += _out[i] == escape ? 1 : 0;
        }

        if (count == 0)
        {
            return;
        }

        var written = _out.ToString(start, _out.Length - start);
        _out.Length = start;
        _out.EnsureCapacity(start + written.Length + count);
        var from = 0;
        for (var at = written.IndexOf(escape); at >= 0; at = written.IndexOf(escape, at + 1))
        {
            _out.Append(written, from, at - from).Append('\\');
            from = at;
        }

        _out.Append(written, from, written.Length - from);
    }

    private void Link(TNode e)
    {
        var target = Absolute(_tree.Attribute(e, "href"));
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

    private void Image(TNode e)
    {
        var alt = _tree.Attribute(e, "alt");
        var src = Absolute(_tree.Attribute(e, "src"));
        if (string.IsNullOrWhiteSpace(alt) || src is null)
        {
            return;
        }

        Write("![" + CollapsedText.Of(alt, htmlSpaceOnly: false) + "](" + src + ")");
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

    private void List(TNode list, bool ordered)
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

        var index = ordered && int.TryParse(_tree.Attribute(list, "start"), out var start) ? start : 1;
        var cursor = 0;
        while (_tree.NextChild(list, ref cursor, out var item))
        {
            if (!_tree.IsElement(item))
            {
                continue;
            }

            var name = _tree.Name(item);
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

    private void Pre(TNode e)
    {
        var code = TryFirstCode(e, out var found) ? found : e;
        var language = Language(code) ?? Language(e) ?? string.Empty;
        var text = _tree.TextContent(e).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n', ' ');
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

    private bool TryFirstCode(TNode e, out TNode code)
    {
        var cursor = 0;
        while (_tree.NextChild(e, ref cursor, out var child))
        {
            if (!_tree.IsElement(child))
            {
                continue;
            }

            if (_tree.Name(child) == "code")
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

    private string? Language(TNode e)
    {
        var classes = _tree.Attribute(e, "class");
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

    private void InlineCode(TNode e)
    {
        var span = _tree.TextContent(e).AsSpan().Trim();
        if (span.IsEmpty)
        {
            return;
        }

        var tick = span.Contains('`') ? "`` " : "`";
        Write(tick);
        CollapsedText.Append(_out, span, htmlSpaceOnly: false);
        _out.Append(tick.Length == 1 ? "`" : " ``");
        _lastWasSpace = false;
    }

    /// <summary>Content written in a table, its sections or rows but outside cells, which a browser shows before the table.</summary>
    private void Fostered(TNode parent)
    {
        var cursor = 0;
        while (_tree.NextChild(parent, ref cursor, out var child))
        {
            if (_tree.IsFostered(child))
            {
                if (_tree.IsElement(child))
                {
                    Element(child);
                }
                else
                {
                    Text(_tree.Text(child));
                }
            }
            else if (_tree.IsElement(child) && _tree.Name(child) is "thead" or "tbody" or "tfoot" or "tr")
            {
                Fostered(child);
            }
        }
    }

    /// <summary>The rows of a table (directly or in thead/tbody/tfoot, where the parser puts them) as pipe-table lines.</summary>
    private void Rows(TNode parent, ref bool first)
    {
        var cursor = 0;
        while (_tree.NextChild(parent, ref cursor, out var child))
        {
            if (!_tree.IsElement(child))
            {
                continue;
            }

            switch (_tree.Name(child))
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

    private bool IsCell(TNode node) => _tree.IsElement(node) && _tree.Name(node) is "td" or "th";

    private void Row(TNode row, ref bool first)
    {
        var count = 0;
        var cursor = 0;
        while (_tree.NextChild(row, ref cursor, out var cell))
        {
            count += IsCell(cell) ? 1 : 0;
        }

        if (count == 0)
        {
            return;
        }

        Line();
        Write("|");
        cursor = 0;
        while (_tree.NextChild(row, ref cursor, out var cell))
        {
            if (IsCell(cell))
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
            Write("|" + string.Concat(Enumerable.Repeat(" --- |", count)));
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
                    _out.Append(_prefix.TrimEnd());
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
        _prefixes.Add(prefix);
        if (_prefixes.Count <= MaximumPrefixes)
        {
            _prefix = string.Concat(_prefixes);
        }
    }

    private void Pop()
    {
        _prefixes.RemoveAt(_prefixes.Count - 1);
        if (_prefixes.Count < MaximumPrefixes)
        {
            _prefix = string.Concat(_prefixes);
        }
    }
}
