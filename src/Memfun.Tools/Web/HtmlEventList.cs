namespace Memfun.Tools.Web;

/// <summary>
/// A parsed page as a flat list of events (element starts and ends, text runs) over the source string, with the
/// few facts the conversion needs: the title, the body, the first <c>main</c> / <c>[role=main]</c> element and
/// the <c>article</c> elements. Built by <see cref="HtmlTreeBuilder"/>; read through <see cref="HtmlEventTree"/>.
/// </summary>
/// <remarks>No node objects: one array of small structs and the source string. Not thread-safe (one scratch buffer for decoding).</remarks>
internal sealed class HtmlEventList(string source, HtmlEvent[] events, int count)
{
    private char[] _scratch = [];

    /// <summary>The page.</summary>
    public string Source { get; } = source;

    /// <summary>The events; only the first <see cref="Count"/> are used.</summary>
    public HtmlEvent[] Events { get; } = events;

    /// <summary>How many events there are.</summary>
    public int Count { get; } = count;

    /// <summary>The text of the first <c>title</c> element, whitespace collapsed and trimmed, or empty.</summary>
    public string Title { get; init; } = string.Empty;

    /// <summary>The index of the body's start event.</summary>
    public int Body { get; init; }

    /// <summary>The index of the first <c>main</c> or <c>[role=main]</c> element's start, or -1.</summary>
    public int Main { get; init; } = -1;

    /// <summary>The start indexes of the <c>article</c> elements, in document order.</summary>
    public IReadOnlyList<int> Articles { get; init; } = [];

    /// <summary>A buffer of at least <paramref name="length"/> characters, reused between calls.</summary>
    public Span<char> Scratch(int length)
    {
        if (_scratch.Length < length)
        {
            _scratch = new char[Math.Max(length, Math.Min(_scratch.Length * 2, 1 << 20))];
        }

        return _scratch;
    }
}
