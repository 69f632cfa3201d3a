namespace Memfun.Tools.Web;

/// <summary>
/// One entry of an <see cref="HtmlEventList"/>: an element's start or end, or a run of text, as ranges of the
/// source; a start and its end point at each other, so a reader can skip an element in one step.
/// </summary>
internal struct HtmlEvent
{
    /// <summary>The element name (lower case); null for text.</summary>
    public string? Name;

    /// <summary>Text: first character. Element start: where its attributes begin in the source (equal to <see cref="End"/> for an element the builder implied).</summary>
    public int Start;

    /// <summary>Text: one past the last character. Element start: one past the tag.</summary>
    public int End;

    /// <summary>Element start: the index of its end event; end: the index of its start event.</summary>
    public int Match;

    /// <summary>What kind of event and what was noticed about it.</summary>
    public HtmlEventFlags Flags;
}
