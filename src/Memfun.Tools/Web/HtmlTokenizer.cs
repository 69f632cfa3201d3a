namespace Memfun.Tools.Web;

/// <summary>
/// Splits an HTML page into text, start tags and end tags without building anything: each token is a range of
/// the source string. Follows the HTML standard's tokenizer where it changes what a reader sees: raw text in
/// <c>script</c>, <c>style</c>, <c>xmp</c>, <c>iframe</c>, <c>noembed</c>, <c>noframes</c>; escapable raw text
/// (references decoded) in <c>title</c> and <c>textarea</c>; <c>plaintext</c> to the end; comments (also
/// <c>&lt;!--&gt;</c> and <c>--!&gt;</c>), doctypes, processing instructions and bogus comments skipped;
/// CDATA sections skipped in SVG/MathML and bogus elsewhere; attributes double-, single- or unquoted or bare;
/// a tag cut off by the end of the page is dropped; a <c>&lt;</c> that opens no tag is text.
/// </summary>
/// <remarks>
/// One instance per page, not thread-safe. Tag names come back lower case and interned (known names are shared
/// strings). Attribute values are not materialised: <see cref="AttributeStart"/> marks where they stand, and
/// <see cref="ScanAttribute"/> walks them again on demand. The three attributes every element is judged by
/// (<c>hidden</c>, <c>aria-hidden</c>, <c>role</c>) are read on the way and reported as flags.
/// </remarks>
internal sealed class HtmlTokenizer(string source)
{
    private static readonly Dictionary<string, string> KnownNames = CreateKnownNames();
    private static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> KnownLookup = KnownNames.GetAlternateLookup<ReadOnlySpan<char>>();

    private readonly string _s = source;
    private Dictionary<string, string>? _otherNames;
    private int _pos;
    private string? _rawEnd;
    private bool _rawReferences;
    private bool _rawTextDone;
    private bool _plaintext;

    /// <summary>The page.</summary>
    public string Source => _s;

    /// <summary>The kind of the current token.</summary>
    public HtmlTokenKind Kind { get; private set; }

    /// <summary>The tag name of a start or end tag, lower case.</summary>
    public string Name { get; private set; } = string.Empty;

    /// <summary>Text: the first character. Start tag: where its attributes begin (for <see cref="ScanAttribute"/>).</summary>
    public int Start { get; private set; }

    /// <summary>Text: one past the last character. Tags: one past the closing <c>&gt;</c>.</summary>
    public int End { get; private set; }

    /// <summary>Text: contains an ampersand that may start a character reference.</summary>
    public bool HasReferences { get; private set; }

    /// <summary>Start tag: written as <c>&lt;x/&gt;</c>.</summary>
    public bool SelfClosing { get; private set; }

    /// <summary>Start tag: carries <c>hidden</c> or <c>aria-hidden="true"</c>.</summary>
    public bool Hidden { get; private set; }

    /// <summary>Start tag: carries <c>role="main"</c>.</summary>
    public bool RoleMain { get; private set; }

    /// <summary>Set by the tree builder while the current node is SVG or MathML: no raw text elements there, CDATA sections are skipped.</summary>
    public bool Foreign { get; set; }

    /// <summary>Moves to the next token; false at the end of the page.</summary>
    public bool Next()
    {
        if (_rawEnd is not null)
        {
            return RawText();
        }

        var s = _s;
        while (_pos < s.Length)
        {
            if (s[_pos] != '<')
            {
                return Text(_pos, _pos);
            }

            if (_pos + 1 >= s.Length)
            {
                return Text(_pos, _pos + 1);
            }

            var next = s[_pos + 1];
            if (char.IsAsciiLetter(next))
            {
                if (StartTag())
                {
                    return true;
                }

                continue;
            }

            switch (next)
            {
                case '/':
                    if (_pos + 2 >= s.Length)
                    {
                        return Text(_pos, _pos + 2);
                    }

                    if (char.IsAsciiLetter(s[_pos + 2]))
                    {
                        if (EndTag())
                        {
                            return true;
                        }
                    }
                    else if (s[_pos + 2] == '>')
                    {
                        _pos += 3;
                    }
                    else
                    {
                        SkipPast('>', _pos + 2);
                    }

                    continue;
                case '!':
                    Declaration();
                    continue;
                case '?':
                    SkipPast('>', _pos + 2);
                    continue;
                default:
                    return Text(_pos, _pos + 1);
            }
        }

        return false;
    }

    /// <summary>
    /// Reads the attribute or tag end at <paramref name="position"/> in <paramref name="source"/> and moves past it.
    /// Names run to whitespace, <c>/</c>, <c>&gt;</c> or <c>=</c>; values are double-, single- or unquoted.
    /// </summary>
    public static HtmlAttributeScan ScanAttribute(string source, ref int position, out Range name, out Range value)
    {
        var s = source;
        var p = position;
        name = value = default;
        while (true)
        {
            if (p >= s.Length)
            {
                position = p;
                return HtmlAttributeScan.EndOfInput;
            }

            var c = s[p];
            if (c == '>')
            {
                position = p + 1;
                return HtmlAttributeScan.TagEnd;
            }

            if (c == '/')
            {
                if (p + 1 < s.Length && s[p + 1] == '>')
                {
                    position = p + 2;
                    return HtmlAttributeScan.SelfClosingEnd;
                }

                p++;
                continue;
            }

            if (!IsSpace(c))
            {
                break;
            }

            p++;
        }

        var nameStart = p++;
        while (p < s.Length && s[p] is not ('/' or '>' or '=') && !IsSpace(s[p]))
        {
            p++;
        }

        name = nameStart..p;
        var afterName = p;
        p = SkipSpace(s, p);
        if (p >= s.Length || s[p] != '=')
        {
            value = afterName..afterName;
            position = p;
            return HtmlAttributeScan.Attribute;
        }

        p = SkipSpace(s, p + 1);
        if (p >= s.Length)
        {
            position = p;
            return HtmlAttributeScan.EndOfInput;
        }

        var quote = s[p];
        if (quote is '"' or '\'')
        {
            var close = s.IndexOf(quote, p + 1);
            if (close < 0)
            {
                position = s.Length;
                return HtmlAttributeScan.EndOfInput;
            }

            value = (p + 1)..close;
            position = close + 1;
            return HtmlAttributeScan.Attribute;
        }

        var valueStart = p;
        while (p < s.Length && s[p] != '>' && !IsSpace(s[p]))
        {
            p++;
        }

        value = valueStart..p;
        position = p;
        return HtmlAttributeScan.Attribute;
    }

    /// <summary>HTML's whitespace: space, tab, line feed, form feed, carriage return.</summary>
    public static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\f' or '\r';

    private static int SkipSpace(string s, int p)
    {
        while (p < s.Length && IsSpace(s[p]))
        {
            p++;
        }

        return p;
    }

    /// <summary>Text from <paramref name="start"/> to the next <c>&lt;</c> at or after <paramref name="searchFrom"/>.</summary>
    private bool Text(int start, int searchFrom)
    {
        var end = searchFrom >= _s.Length ? -1 : _s.IndexOf('<', searchFrom);
        if (end < 0)
        {
            end = _s.Length;
        }

        SetText(start, end, _s.AsSpan(start, end - start).Contains('&'));
        _pos = end;
        return true;
    }

    private void SetText(int start, int end, bool references)
    {
        Kind = HtmlTokenKind.Text;
        Start = start;
        End = end;
        HasReferences = references;
    }

    private bool StartTag()
    {
        var s = _s;
        var p = _pos + 1;
        var name = TagName(ref p);
        var attributes = p;
        bool hidden = false, roleMain = false, sawRole = false, sawAriaHidden = false, selfClosing = false;
        while (true)
        {
            var scan = ScanAttribute(s, ref p, out var attrName, out var value);
            if (scan == HtmlAttributeScan.EndOfInput)
            {
                _pos = s.Length;
                return false;
            }

            if (scan != HtmlAttributeScan.Attribute)
            {
                selfClosing = scan == HtmlAttributeScan.SelfClosingEnd;
                break;
            }

            var n = s.AsSpan(attrName);
            if (n.Equals("hidden", StringComparison.OrdinalIgnoreCase))
            {
                hidden = true;
            }
            else if (!sawAriaHidden && n.Equals("aria-hidden", StringComparison.OrdinalIgnoreCase))
            {
                sawAriaHidden = true;
                hidden |= ValueIs(s.AsSpan(value), "true");
            }
            else if (!sawRole && n.Equals("role", StringComparison.OrdinalIgnoreCase))
            {
                sawRole = true;
                roleMain = ValueIs(s.AsSpan(value), "main");
            }
        }

        Kind = HtmlTokenKind.StartTag;
        Name = name;
        Start = attributes;
        End = p;
        SelfClosing = selfClosing;
        Hidden = hidden;
        RoleMain = roleMain;
        _pos = p;
        if (!Foreign)
        {
            EnterRawText(name);
        }

        return true;
    }

    private static bool ValueIs(ReadOnlySpan<char> value, string expected) =>
        value.Contains('&')
            ? CharacterReferences.Decode(value, inAttribute: true).Equals(expected, StringComparison.OrdinalIgnoreCase)
            : value.Equals(expected, StringComparison.OrdinalIgnoreCase);

    private void EnterRawText(string name)
    {
        switch (name)
        {
            case "script" or "style" or "xmp" or "iframe" or "noembed" or "noframes":
                (_rawEnd, _rawReferences, _rawTextDone) = (name, false, false);
                break;
            case "title" or "textarea":
                (_rawEnd, _rawReferences, _rawTextDone) = (name, true, false);
                break;
            case "plaintext":
                (_rawEnd, _rawReferences, _rawTextDone, _plaintext) = (name, false, false, true);
                break;
            default:
                break;
        }
    }

    private bool EndTag()
    {
        var p = _pos + 2;
        var name = TagName(ref p);
        return EndTagRest(name, p);
    }

    /// <summary>The end tag <paramref name="name"/>, whose name ends at <paramref name="p"/>; false when the page ends inside it.</summary>
    private bool EndTagRest(string name, int p)
    {
        if (!SkipTagRest(ref p))
        {
            _pos = _s.Length;
            return false;
        }

        Kind = HtmlTokenKind.EndTag;
        Name = name;
        Start = End = p;
        _pos = p;
        return true;
    }

    /// <summary>Skips attributes to the end of a tag; false when the page ends first.</summary>
    private bool SkipTagRest(ref int p)
    {
        while (true)
        {
            switch (ScanAttribute(_s, ref p, out _, out _))
            {
                case HtmlAttributeScan.EndOfInput:
                    return false;
                case HtmlAttributeScan.Attribute:
                    continue;
                default:
                    return true;
            }
        }
    }

    /// <summary>The content of a raw text element, then its end tag (none when the page ends first).</summary>
    private bool RawText()
    {
        var name = _rawEnd!;
        var s = _s;
        if (!_rawTextDone)
        {
            _rawTextDone = true;
            var close = _plaintext ? -1 : FindEndTag(name, _pos);
            var end = close < 0 ? s.Length : close;
            if (end > _pos)
            {
                SetText(_pos, end, _rawReferences && s.AsSpan(_pos, end - _pos).Contains('&'));
                _pos = end;
                return true;
            }
        }

        _rawEnd = null;
        if (_pos >= s.Length)
        {
            return false;
        }

        return EndTagRest(name, _pos + 2 + name.Length);
    }

    /// <summary>Where <c>&lt;/name</c> (any case, then whitespace, <c>/</c> or <c>&gt;</c>) next starts, or -1.</summary>
    private int FindEndTag(string name, int from)
    {
        var s = _s;
        while (true)
        {
            var at = s.IndexOf("</", from, StringComparison.Ordinal);
            if (at < 0)
            {
                return -1;
            }

            var after = at + 2 + name.Length;
            if (after <= s.Length && s.AsSpan(at + 2, name.Length).Equals(name, StringComparison.OrdinalIgnoreCase)
                && (after == s.Length || s[after] is '/' or '>' || IsSpace(s[after])))
            {
                return at;
            }

            from = at + 2;
        }
    }

    /// <summary>Skips <c>&lt;!…</c>: a comment, a doctype, a CDATA section or a bogus comment.</summary>
    private void Declaration()
    {
        var s = _s;
        var rest = s.AsSpan(_pos);
        if (rest.StartsWith("<!--", StringComparison.Ordinal))
        {
            var p = _pos + 4;
            if (s.AsSpan(p).StartsWith(">", StringComparison.Ordinal))
            {
                _pos = p + 1;
                return;
            }

            if (s.AsSpan(p).StartsWith("->", StringComparison.Ordinal))
            {
                _pos = p + 2;
                return;
            }

            while (true)
            {
                var dashes = s.IndexOf("--", p, StringComparison.Ordinal);
                if (dashes < 0)
                {
                    _pos = s.Length;
                    return;
                }

                var tail = s.AsSpan(dashes + 2);
                if (tail.StartsWith(">", StringComparison.Ordinal))
                {
                    _pos = dashes + 3;
                    return;
                }

                if (tail.StartsWith("!>", StringComparison.Ordinal))
                {
                    _pos = dashes + 4;
                    return;
                }

                p = dashes + 1;
            }
        }

        if (Foreign && rest.StartsWith("<![CDATA[", StringComparison.Ordinal))
        {
            var close = s.IndexOf("]]>", _pos + 9, StringComparison.Ordinal);
            _pos = close < 0 ? s.Length : close + 3;
            return;
        }

        SkipPast('>', _pos + 2);
    }

    private void SkipPast(char c, int from)
    {
        var at = from >= _s.Length ? -1 : _s.IndexOf(c, from);
        _pos = at < 0 ? _s.Length : at + 1;
    }

    /// <summary>The tag name starting at <paramref name="p"/> (up to whitespace, <c>/</c> or <c>&gt;</c>), moving past it.</summary>
    private string TagName(ref int p)
    {
        var s = _s;
        var start = p;
        while (p < s.Length && s[p] is not ('/' or '>') && !IsSpace(s[p]))
        {
            p++;
        }

        return Intern(s.AsSpan(start, p - start));
    }

    /// <summary>The lower-case name, as a shared string when it is a known element.</summary>
    private string Intern(ReadOnlySpan<char> raw)
    {
        Span<char> lower = raw.Length <= 64 ? stackalloc char[raw.Length] : new char[raw.Length];
        scoped ReadOnlySpan<char> name = raw;
        if (raw.ContainsAnyInRange('A', 'Z'))
        {
            for (var i = 0; i < raw.Length; i++)
            {
                lower[i] = char.IsAsciiLetterUpper(raw[i]) ? (char)(raw[i] | 0x20) : raw[i];
            }

            name = lower;
        }

        if (KnownLookup.TryGetValue(name, out var known))
        {
            return known;
        }

        _otherNames ??= new Dictionary<string, string>(StringComparer.Ordinal);
        var other = _otherNames.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!other.TryGetValue(name, out var found))
        {
            found = name.ToString();
            _otherNames[found] = found;
        }

        return found;
    }

    private static Dictionary<string, string> CreateKnownNames()
    {
        string[] names =
        [
            "a", "abbr", "address", "applet", "area", "article", "aside", "audio", "b", "base", "basefont", "bdi", "bdo",
            "bgsound", "big", "blockquote", "body", "br", "button", "canvas", "caption", "center", "cite", "code", "col",
            "colgroup", "data", "dd", "del", "details", "dfn", "dialog", "dir", "div", "dl", "dt", "em", "embed",
            "fieldset", "figcaption", "figure", "font", "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4",
            "h5", "h6", "head", "header", "hgroup", "hr", "html", "i", "iframe", "image", "img", "input", "ins", "kbd",
            "keygen", "label", "legend", "li", "link", "listing", "main", "mark", "marquee", "math", "menu", "meta",
            "meter", "nav", "nobr", "noembed", "noframes", "noscript", "object", "ol", "optgroup", "option", "output",
            "p", "param", "picture", "plaintext", "pre", "progress", "q", "rb", "rp", "rt", "rtc", "ruby", "s", "samp",
            "script", "search", "section", "select", "slot", "small", "source", "span", "strike", "strong", "style",
            "sub", "summary", "sup", "svg", "table", "tbody", "td", "template", "textarea", "tfoot", "th", "thead",
            "time", "title", "tr", "track", "tt", "u", "ul", "var", "video", "wbr", "xmp", "path", "g", "use",
            "mi", "mo", "mn", "ms", "mtext", "foreignobject", "desc", "annotation-xml",
        ];
        var map = new Dictionary<string, string>(names.Length, StringComparer.Ordinal);
        foreach (var name in names)
        {
            map[name] = name;
        }

        return map;
    }
}
