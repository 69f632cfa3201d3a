using System.Text;

namespace Memfun.Tools.Web;

/// <summary>
/// Turns the tokens of a page into a well-nested <see cref="HtmlEventList"/>, applying the parts of the HTML
/// standard's tree construction that decide where content ends up: implied <c>html</c>, <c>head</c> and
/// <c>body</c>; head content before the body; void elements; <c>p</c> closed by blocks; <c>li</c>, <c>dd</c>,
/// <c>dt</c>, <c>option</c>, <c>a</c>, <c>button</c>, headings, table rows, cells and sections closed by their
/// successors; implied <c>tr</c> for a cell written straight into a table; end tags matched within their scope
/// and stray ones ignored (<c>&lt;/p&gt;</c> alone makes an empty paragraph, <c>&lt;/br&gt;</c> a break); SVG and
/// MathML with self-closing tags and HTML tags that break out of them; inside <c>select</c> only options,
/// groups and rules (other tags ignored, as browsers do); the leading newline of <c>pre</c>,
/// <c>listing</c> and <c>textarea</c> dropped; elements left open closed at the end.
/// </summary>
/// <remarks>
/// Formatting elements (<c>b</c>, <c>i</c>, <c>a</c>…) left open when a paragraph or item closes are opened
/// again before the next text, as the standard's list of active formatting elements does. Simplifications
/// against the standard, each affecting only malformed pages: the end tag of a formatting element closes what was
/// opened inside it (the adoption agency would move a block opened inside it out, so <c>&lt;b&gt;x&lt;p&gt;y&lt;/b&gt;</c>
/// keeps its paragraph inline here). Content written in a table outside its cells stays where it was written,
/// marked <see cref="HtmlEventFlags.Fostered"/>, and the writer shows it before the table, as a browser does.
/// Nesting deeper than <see cref="MaximumDepth"/> levels continues as siblings of the deepest element (as
/// AngleSharp does), which bounds the writer's recursion. No recursion here: any depth of input is safe.
/// </remarks>
internal sealed class HtmlTreeBuilder
{
    /// <summary>The deepest nesting kept (the root element is level 1), as in the AngleSharp options used before.</summary>
    public const int MaximumDepth = 512;

    private static readonly HashSet<string> ClosesParagraph = new(StringComparer.Ordinal)
    {
        "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "fieldset",
        "figcaption", "figure", "footer", "header", "hgroup", "main", "menu", "nav", "ol", "p", "search", "section",
        "summary", "ul", "form", "plaintext", "table", "hr", "xmp",
    };

    private static readonly HashSet<string> Void = new(StringComparer.Ordinal)
    {
        "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input", "keygen", "link",
        "meta", "param", "source", "track", "wbr",
    };

    private static readonly HashSet<string> HeadContent = new(StringComparer.Ordinal)
    {
        "base", "basefont", "bgsound", "link", "meta", "title", "style", "script", "noscript", "template", "noframes",
    };

    private static readonly HashSet<string> Special = new(StringComparer.Ordinal)
    {
        "address", "applet", "area", "article", "aside", "base", "basefont", "bgsound", "blockquote", "body", "br",
        "button", "caption", "center", "col", "colgroup", "dd", "details", "dir", "div", "dl", "dt", "embed",
        "fieldset", "figcaption", "figure", "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6",
        "head", "header", "hgroup", "hr", "html", "iframe", "img", "input", "keygen", "li", "link", "listing", "main",
        "marquee", "menu", "meta", "nav", "noembed", "noframes", "noscript", "object", "ol", "p", "param", "plaintext",
        "pre", "script", "search", "section", "select", "source", "style", "summary", "table", "tbody", "td",
        "template", "textarea", "tfoot", "th", "thead", "title", "tr", "track", "ul", "wbr", "xmp",
    };

    private static readonly HashSet<string> Formatting = new(StringComparer.Ordinal)
    {
        "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
    };

    // HTML elements that end SVG/MathML content when they start inside it.
    private static readonly HashSet<string> BreaksOutOfForeign = new(StringComparer.Ordinal)
    {
        "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed", "h1", "h2",
        "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu", "meta", "nobr", "ol", "p", "pre",
        "ruby", "s", "small", "span", "strong", "strike", "sub", "sup", "table", "tt", "u", "ul", "var",
    };

    // Start tags that do not re-open active formatting elements (besides those that close a paragraph).
    private static readonly HashSet<string> NoReconstruction = new(StringComparer.Ordinal)
    {
        "li", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "listing", "textarea", "iframe", "noembed",
        "noscript", "caption", "colgroup", "col", "tbody", "thead", "tfoot", "tr", "td", "th", "frameset", "frame",
        "param", "source", "track", "base", "basefont", "bgsound", "link", "meta", "title", "style", "script",
        "template", "noframes", "html", "head", "body",
    };

    private static readonly HashSet<string> DefaultScope = new(StringComparer.Ordinal)
    {
        "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template",
        "mi", "mo", "mn", "ms", "mtext", "annotation-xml", "foreignobject", "desc",
    };

    private static readonly HashSet<string> ButtonScope = new(DefaultScope, StringComparer.Ordinal) { "button" };

    private static readonly HashSet<string> ListItemScope = new(DefaultScope, StringComparer.Ordinal) { "ol", "ul" };

    private static readonly HashSet<string> TableScope = new(StringComparer.Ordinal) { "html", "table", "template" };

    private readonly HtmlTokenizer _tokens;
    private readonly string _source;
    private readonly List<int> _open = new(64);

    // The list of active formatting elements: start indexes of b, i, a… still in effect, -1 for a marker (cell,
    // caption, object…); those no longer open are opened again before the next text or inline element.
    private readonly List<int> _active = [];
    private HtmlEvent[] _events;
    private int _count;
    private int _head = -1;
    private int _body = -1;
    private int _foreign;
    private int _openParagraphs;
    private int _openSelects;
    private bool _dropNewline;
    private int _titleAt = -1;
    private StringBuilder? _title;
    private int _main = -1;
    private List<int>? _articles;

    private HtmlTreeBuilder(string html)
    {
        _source = html;
        _tokens = new HtmlTokenizer(html);
        // About one event per 12 characters of a typical page.
        _events = new HtmlEvent[Math.Clamp(html.Length / 12, 16, 1 << 20)];
    }

    /// <summary>Parses <paramref name="html"/> into events.</summary>
    public static HtmlEventList Build(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var builder = new HtmlTreeBuilder(html);
        return builder.Run();
    }

    private string Current => _events[_open[^1]].Name!;

    private HtmlEventList Run()
    {
        Open("html", _source.Length, _source.Length, HtmlEventFlags.Implied);
        var tokens = _tokens;
        while (true)
        {
            tokens.Foreign = InForeign();
            if (!tokens.Next())
            {
                break;
            }

            switch (tokens.Kind)
            {
                case HtmlTokenKind.Text:
                    OnText(tokens.Start, tokens.End, tokens.HasReferences);
                    break;
                case HtmlTokenKind.StartTag:
                    OnStart(tokens.Name);
                    break;
                default:
                    OnEnd(tokens.Name);
                    break;
            }
        }

        EnsureBody();
        while (_open.Count > 0)
        {
            Pop();
        }

        var title = _title is null ? string.Empty : CollapsedText.Of(_title.ToString(), htmlSpaceOnly: true);
        return new HtmlEventList(_source, _events, _count)
        {
            Title = title,
            Body = _body,
            Main = _main,
            Articles = _articles ?? [],
        };
    }

    private bool InForeign() =>
        _foreign > 0 && Current is not ("mi" or "mo" or "mn" or "ms" or "mtext" or "annotation-xml" or "foreignobject" or "desc");

    private void OnText(int start, int end, bool references)
    {
        var s = _source;
        if (_dropNewline)
        {
            _dropNewline = false;
            if (s[start] == '\r')
            {
                start++;
            }

            if (start < end && s[start] == '\n')
            {
                start++;
            }

            if (start == end)
            {
                return;
            }
        }

        switch (Current)
        {
            case "script" or "style" or "xmp" or "iframe" or "noembed" or "noframes":
                // Raw text is never shown.
                return;
            case "title" when _open[^1] == _titleAt:
                _title!.Append(references ? CharacterReferences.Decode(s.AsSpan(start, end - start), inAttribute: false) : s.AsSpan(start, end - start));
                break;
            default:
                if (_body < 0)
                {
                    if (s.AsSpan(start, end - start).IndexOfAnyExcept(" \t\n\f\r") < 0)
                    {
                        return;
                    }

                    EnsureBody();
                }

                Reconstruct();
                break;
        }

        var fostered = Fostering() && s.AsSpan(start, end - start).IndexOfAnyExcept(" \t\n\f\r") >= 0;
        if (fostered)
        {
            MarkTableFostered();
        }

        ref var e = ref Add();
        e.Start = start;
        e.End = end;
        e.Flags = (references ? HtmlEventFlags.References : HtmlEventFlags.None) | (fostered ? HtmlEventFlags.Fostered : HtmlEventFlags.None);
    }

    private void OnStart(string name)
    {
        if (InForeign())
        {
            if (!BreaksOutOfForeign.Contains(name))
            {
                Element(name, foreign: true);
                return;
            }

            while (_foreign > 0)
            {
                Pop();
            }
        }

        if (_openSelects > 0 && InSelect(name))
        {
            return;
        }

        switch (name)
        {
            case "html":
                return;
            case "head":
                if (_head < 0 && _body < 0)
                {
                    _head = Open("head");
                }

                return;
            case "body":
                if (_body < 0)
                {
                    CloseHead();
                    _body = Open("body");
                }

                return;
            default:
                break;
        }

        if (_body < 0)
        {
            if (HeadContent.Contains(name))
            {
                if (_head < 0)
                {
                    _head = Open("head", implied: true);
                }

                Element(name, foreign: false);
                return;
            }

            EnsureBody();
        }

        if (!BodyStart(ref name))
        {
            return;
        }

        Element(name, foreign: false);
    }

    /// <summary>What a start tag in the body closes first; false when the tag is ignored.</summary>
    private bool BodyStart(ref string name)
    {
        switch (name)
        {
            case "li":
                CloseListItem("li", null);
                ClosePInButtonScope();
                break;
            case "dd" or "dt":
                CloseListItem("dd", "dt");
                ClosePInButtonScope();
                break;
            case "h1" or "h2" or "h3" or "h4" or "h5" or "h6":
                ClosePInButtonScope();
                if (Current is "h1" or "h2" or "h3" or "h4" or "h5" or "h6")
                {
                    Pop();
                }

                break;
            case "pre" or "listing":
                ClosePInButtonScope();
                _dropNewline = true;
                break;
            case "textarea":
                _dropNewline = true;
                break;
            case "a":
                if (LastActive("a") >= 0)
                {
                    EndFormatting("a");
                }

                Reconstruct();
                break;
            case "button":
                if (FindInScope("button", DefaultScope) is var button and >= 0)
                {
                    PopTo(button);
                }

                Reconstruct();
                break;
            case "option":
                if (Current == "option")
                {
                    Pop();
                }

                Reconstruct();
                break;
            case "optgroup":
                if (Current == "option")
                {
                    Pop();
                }

                if (Current == "optgroup")
                {
                    Pop();
                }

                Reconstruct();
                break;
            case "td" or "th":
                return OpenCell();
            case "tr":
                return OpenRow();
            case "thead" or "tbody" or "tfoot" or "caption" or "colgroup":
                return ToTable();
            case "image":
                name = "img";
                Reconstruct();
                break;
            default:
                if (ClosesParagraph.Contains(name))
                {
                    ClosePInButtonScope();
                }
                else if (!NoReconstruction.Contains(name))
                {
                    Reconstruct();
                }

                break;
        }

        return true;
    }

    private bool OpenCell()
    {
        var table = FindInScope("table", TableScope);
        if (table < 0)
        {
            return false;
        }

        for (var i = _open.Count - 1; i > table; i--)
        {
            if (_events[_open[i]].Name is "td" or "th")
            {
                PopTo(i);
                break;
            }
        }

        while (Current is not ("tr" or "table" or "thead" or "tbody" or "tfoot"))
        {
            Pop();
        }

        if (Current != "tr")
        {
            Open("tr", implied: true);
        }

        return true;
    }

    private bool OpenRow()
    {
        var table = FindInScope("table", TableScope);
        if (table < 0)
        {
            return false;
        }

        while (Current is not ("table" or "thead" or "tbody" or "tfoot"))
        {
            Pop();
        }

        return true;
    }

    private bool ToTable()
    {
        var table = FindInScope("table", TableScope);
        if (table < 0)
        {
            return false;
        }

        PopTo(table + 1);
        return true;
    }

    private void OnEnd(string name)
    {
        if (_foreign > 0)
        {
            for (var i = _open.Count - 1; i >= 0 && _foreign > 0; i--)
            {
                var open = _events[_open[i]].Name!;
                if (open == name)
                {
                    PopTo(i);
                    return;
                }

                if (open is "svg" or "math")
                {
                    break;
                }
            }
        }

        if (_openSelects > 0 && EndInSelect(name))
        {
            return;
        }

        switch (name)
        {
            case "html" or "body":
                return;
            case "head":
                if (_open[^1] == _head)
                {
                    Pop();
                }

                return;
            case "p":
                if (FindInScope("p", ButtonScope) is var p and >= 0)
                {
                    PopTo(p);
                }
                else
                {
                    EnsureBody();
                    Open("p", implied: true);
                    Pop();
                }

                return;
            case "br":
                EnsureBody();
                Open("br", implied: true);
                Pop();
                return;
            case "li":
                PopToInScope(name, ListItemScope);
                return;
            case "h1" or "h2" or "h3" or "h4" or "h5" or "h6":
                for (var i = _open.Count - 1; i >= 0; i--)
                {
                    var open = _events[_open[i]].Name!;
                    if (open is "h1" or "h2" or "h3" or "h4" or "h5" or "h6")
                    {
                        PopTo(i);
                        return;
                    }

                    if (DefaultScope.Contains(open))
                    {
                        return;
                    }
                }

                return;
            case "table" or "tr" or "td" or "th" or "thead" or "tbody" or "tfoot" or "caption" or "colgroup":
                PopToInScope(name, TableScope);
                return;
            default:
                if (Formatting.Contains(name) && LastActive(name) >= 0)
                {
                    EndFormatting(name);
                    return;
                }

                if (Special.Contains(name))
                {
                    PopToInScope(name, DefaultScope);
                    return;
                }

                // Any other end tag closes the nearest element of its name, unless a special element comes first.
                for (var i = _open.Count - 1; i > 0; i--)
                {
                    var open = _events[_open[i]].Name!;
                    if (open == name)
                    {
                        PopTo(i);
                        return;
                    }

                    if (Special.Contains(open))
                    {
                        return;
                    }
                }

                return;
        }
    }

    /// <summary>A start tag inside a <c>select</c>: only options, groups and rules go in; true when it is handled (or ignored).</summary>
    private bool InSelect(string name)
    {
        switch (name)
        {
            case "option" or "optgroup" or "hr":
                if (Current == "option")
                {
                    Pop();
                }

                if (name != "option" && Current == "optgroup")
                {
                    Pop();
                }

                Element(name, foreign: false);
                return true;
            case "script" or "template":
                Element(name, foreign: false);
                return true;
            case "select":
                CloseSelect();
                return true;
            case "input" or "keygen" or "textarea":
                CloseSelect();
                return false;
            case "caption" or "table" or "tbody" or "tfoot" or "thead" or "tr" or "td" or "th" when SelectInTable():
                CloseSelect();
                return false;
            default:
                return true;
        }
    }

    /// <summary>An end tag inside a <c>select</c>; true when it is handled (or ignored).</summary>
    private bool EndInSelect(string name)
    {
        switch (name)
        {
            case "option" or "optgroup":
                if (name == "optgroup" && Current == "option" && _events[_open[^2]].Name == "optgroup")
                {
                    Pop();
                }

                if (Current == name)
                {
                    Pop();
                }

                return true;
            case "select":
                CloseSelect();
                return true;
            case "caption" or "table" or "tbody" or "tfoot" or "thead" or "tr" or "td" or "th" when SelectInTable() && FindInScope(name, TableScope) >= 0:
                CloseSelect();
                return false;
            default:
                if (Current == name)
                {
                    // The end of a script or template inside the select.
                    Pop();
                }

                return true;
        }
    }

    private bool SelectInTable() => FindInScope("table", TableScope) >= 0;

    private void CloseSelect()
    {
        for (var i = _open.Count - 1; i > 0; i--)
        {
            if (_events[_open[i]].Name == "select")
            {
                PopTo(i);
                return;
            }
        }
    }

    private void CloseListItem(string name, string? other)
    {
        for (var i = _open.Count - 1; i > 0; i--)
        {
            var open = _events[_open[i]].Name!;
            if (open == name || open == other)
            {
                PopTo(i);
                return;
            }

            if (Special.Contains(open) && open is not ("address" or "div" or "p"))
            {
                return;
            }
        }
    }

    private void ClosePInButtonScope()
    {
        // Most blocks start with no paragraph open: skip the walk down the stack.
        if (_openParagraphs > 0 && FindInScope("p", ButtonScope) is var p and >= 0)
        {
            PopTo(p);
        }
    }

    private void PopToInScope(string name, HashSet<string> scope)
    {
        if (FindInScope(name, scope) is var at and >= 0)
        {
            PopTo(at);
        }
    }

    /// <summary>The stack position of the nearest open <paramref name="name"/> not hidden behind a <paramref name="scope"/> boundary, or -1.</summary>
    private int FindInScope(string name, HashSet<string> scope)
    {
        for (var i = _open.Count - 1; i >= 0; i--)
        {
            var open = _events[_open[i]].Name!;
            if (open == name)
            {
                return i;
            }

            if (scope.Contains(open))
            {
                return -1;
            }
        }

        return -1;
    }

    private void EnsureBody()
    {
        if (_body < 0)
        {
            CloseHead();
            _body = Open("body", implied: true);
        }
    }

    private void CloseHead()
    {
        if (_head >= 0 && _open.IndexOf(_head) is var at and >= 0)
        {
            PopTo(at);
        }
    }

    /// <summary>Opens the current start tag's element; void ones (and self-closed SVG/MathML ones) close at once.</summary>
    private void Element(string name, bool foreign)
    {
        var tokens = _tokens;
        var flags = (tokens.Hidden ? HtmlEventFlags.Hidden : 0) | (tokens.RoleMain ? HtmlEventFlags.RoleMain : 0);
        if (!foreign && (name is "svg" or "math"))
        {
            // Counted once per root: an svg inside svg is content, not a second root.
            flags |= HtmlEventFlags.ForeignRoot;
            _foreign++;
        }

        var at = Open(name, tokens.Start, tokens.End, flags);

        // A form started straight in a table is closed at once (its fields land in the table, as in browsers).
        var inTable = name == "form" && Fostering();
        if (foreign || (flags & HtmlEventFlags.ForeignRoot) != 0 ? tokens.SelfClosing : Void.Contains(name) || inTable)
        {
            Pop();
            return;
        }

        if (foreign || _foreign > 0)
        {
            return;
        }

        if (Formatting.Contains(name))
        {
            _active.Add(at);
        }
        else if (IsMarker(name))
        {
            _active.Add(-1);
        }

        if (name == "main" || (flags & HtmlEventFlags.RoleMain) != 0)
        {
            if (_main < 0)
            {
                _main = at;
            }
        }
        else if (name == "article")
        {
            (_articles ??= []).Add(at);
        }
        else if (name == "title" && _title is null)
        {
            _title = new StringBuilder();
            _titleAt = at;
        }
    }

    private int Open(string name, bool implied = false) =>
        Open(name, _tokens.End, _tokens.End, implied ? HtmlEventFlags.Implied : HtmlEventFlags.None);

    private int Open(string name, int start, int end, HtmlEventFlags flags)
    {
        if (_open.Count >= MaximumDepth)
        {
            Pop();
        }

        if (name == "p")
        {
            _openParagraphs++;
        }
        else if (name == "select")
        {
            _openSelects++;
        }

        if (Fostering() && !IsTablePart(name))
        {
            flags |= HtmlEventFlags.Fostered;
            MarkTableFostered();
        }

        var at = _count;
        ref var e = ref Add();
        e.Name = name;
        e.Start = start;
        e.End = end;
        e.Flags = flags;
        _open.Add(at);
        return at;
    }

    /// <summary>True when content inserted now would sit in a table outside any cell (HTML's foster parenting).</summary>
    private bool Fostering() => _foreign == 0 && _open.Count > 0 && Current is "table" or "tbody" or "thead" or "tfoot" or "tr";

    private static bool IsTablePart(string name) =>
        name is "caption" or "colgroup" or "col" or "tbody" or "tfoot" or "thead" or "td" or "th" or "tr" or "table"
            or "style" or "script" or "template" or "form" or "input";

    private void MarkTableFostered()
    {
        for (var i = _open.Count - 1; i >= 0; i--)
        {
            if (_events[_open[i]].Name == "table")
            {
                _events[_open[i]].Flags |= HtmlEventFlags.HasFostered;
                return;
            }
        }
    }

    private void Pop()
    {
        var start = _open[^1];
        _open.RemoveAt(_open.Count - 1);
        var end = _count;
        ref var e = ref Add();
        var name = _events[start].Name;
        if (name == "p")
        {
            _openParagraphs--;
        }
        else if (name == "select")
        {
            _openSelects--;
        }

        e.Name = name;
        e.Match = start;
        e.Flags = HtmlEventFlags.End;
        _events[start].Match = end;
        if ((_events[start].Flags & HtmlEventFlags.ForeignRoot) != 0)
        {
            _foreign--;
        }
        else if (_foreign == 0 && IsMarker(name!))
        {
            ClearToLastMarker();
        }
    }

    private static bool IsMarker(string name) => name is "td" or "th" or "caption" or "applet" or "object" or "marquee" or "template";

    private void ClearToLastMarker()
    {
        var marker = _active.LastIndexOf(-1);
        _active.RemoveRange(Math.Max(marker, 0), _active.Count - Math.Max(marker, 0));
    }

    /// <summary>The position in the active list of the last <paramref name="name"/> after the last marker, or -1.</summary>
    private int LastActive(string name)
    {
        for (var i = _active.Count - 1; i >= 0 && _active[i] >= 0; i--)
        {
            if (_events[_active[i]].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The end of a formatting element (a simplified adoption agency): it and everything opened inside it close;
    /// formatting elements closed with it stay active and open again before the next text.
    /// </summary>
    private void EndFormatting(string name)
    {
        var entry = LastActive(name);
        var at = _open.BinarySearch(_active[entry]);
        if (at >= 0)
        {
            for (var i = _open.Count - 1; i > at; i--)
            {
                if (DefaultScope.Contains(_events[_open[i]].Name!))
                {
                    // Not in scope (a table or cell opened inside it): the end tag is ignored.
                    return;
                }
            }

            PopTo(at);
        }

        _active.RemoveAt(entry);
    }

    /// <summary>Opens again, in order, the active formatting elements that were closed by something else.</summary>
    private void Reconstruct()
    {
        if (_active.Count == 0 || _active[^1] < 0 || IsOpen(_active[^1]))
        {
            return;
        }

        var first = _active.Count - 1;
        while (first > 0 && _active[first - 1] >= 0 && !IsOpen(_active[first - 1]))
        {
            first--;
        }

        for (var i = first; i < _active.Count; i++)
        {
            ref readonly var original = ref _events[_active[i]];
            _active[i] = Open(original.Name!, original.Start, original.End, original.Flags & (HtmlEventFlags.Hidden | HtmlEventFlags.RoleMain));
        }
    }

    // Start indexes on the stack ascend (an element opens after its parent): binary search.
    private bool IsOpen(int start) => _open.BinarySearch(start) >= 0;

    private void PopTo(int stackPosition)
    {
        while (_open.Count > stackPosition)
        {
            Pop();
        }
    }

    private ref HtmlEvent Add()
    {
        if (_count == _events.Length)
        {
            Array.Resize(ref _events, _events.Length * 2);
        }

        ref var e = ref _events[_count++];
        e = default;
        return ref e;
    }
}
