using System.Text;

namespace Memfun.Tools.Web;

/// <summary>An <see cref="HtmlEventList"/> seen as an <see cref="IMarkupTree{TNode}"/>: nodes are event indexes.</summary>
/// <remarks>Children are found by jumping from each element's start to its end; text is decoded on demand into a reused buffer.</remarks>
internal readonly struct HtmlEventTree(HtmlEventList list) : IMarkupTree<int>
{
    public bool NextChild(int parent, ref int cursor, out int child)
    {
        var events = list.Events;
        var i = cursor == 0 ? parent + 1 : cursor;
        if (i >= events[parent].Match)
        {
            child = -1;
            return false;
        }

        child = i;
        cursor = events[i].Name is null ? i + 1 : events[i].Match + 1;
        return true;
    }

    public bool IsElement(int node) => list.Events[node].Name is not null;

    public string Name(int element) => list.Events[element].Name!;

    public ReadOnlySpan<char> Text(int text)
    {
        ref readonly var e = ref list.Events[text];
        var raw = list.Source.AsSpan(e.Start, e.End - e.Start);
        if ((e.Flags & HtmlEventFlags.References) == 0)
        {
            return raw;
        }

        var buffer = list.Scratch(raw.Length);
        return buffer[..CharacterReferences.Decode(raw, buffer, inAttribute: false)];
    }

    public string? Attribute(int element, string name)
    {
        ref readonly var e = ref list.Events[element];
        var source = list.Source;
        var p = e.Start;
        while (p < e.End && HtmlTokenizer.ScanAttribute(source, ref p, out var attrName, out var value) == HtmlAttributeScan.Attribute)
        {
            if (source.AsSpan(attrName).Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return CharacterReferences.Decode(source.AsSpan(value), inAttribute: true);
            }
        }

        return null;
    }

    public bool IsHidden(int element) => (list.Events[element].Flags & HtmlEventFlags.Hidden) != 0;

    public bool IsFostered(int node) => (list.Events[node].Flags & HtmlEventFlags.Fostered) != 0;

    public bool HasFostered(int table) => (list.Events[table].Flags & HtmlEventFlags.HasFostered) != 0;

    public string TextContent(int element)
    {
        var sb = new StringBuilder();
        AppendText(element, sb);
        return sb.Replace("\r\n", "\n").Replace('\r', '\n').ToString();
    }

    /// <summary>How many characters <see cref="TextContent"/> would return (line ends counted as written).</summary>
    public int TextLength(int element)
    {
        var length = 0;
        var events = list.Events;
        for (var i = element + 1; i < events[element].Match; i++)
        {
            if (events[i].Name is null)
            {
                length += Text(i).Length;
            }
        }

        return length;
    }

    private void AppendText(int element, StringBuilder sb)
    {
        var events = list.Events;
        for (var i = element + 1; i < events[element].Match; i++)
        {
            if (events[i].Name is null)
            {
                sb.Append(Text(i));
            }
        }
    }
}
