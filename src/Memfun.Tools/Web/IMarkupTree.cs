namespace Memfun.Tools.Web;

/// <summary>
/// Read access to a parsed HTML tree, as <see cref="MarkdownWriter{TTree, TNode}"/> walks it: element and text
/// children in document order, an element's lower-case name, attributes and text content.
/// </summary>
/// <typeparam name="TNode">The handle of a node: a DOM node, or an index into a flat event list.</typeparam>
/// <remarks>
/// Implemented by small readonly structs so the walk is compiled once per tree kind, without interface calls.
/// Only element and text nodes are visited; comments and other node kinds are never returned.
/// </remarks>
internal interface IMarkupTree<TNode>
{
    /// <summary>The next element or text child of <paramref name="parent"/>; <paramref name="cursor"/> starts at 0 and is advanced.</summary>
    bool NextChild(TNode parent, ref int cursor, out TNode child);

    /// <summary>True for an element, false for a text node.</summary>
    bool IsElement(TNode node);

    /// <summary>The element's local name in lower case.</summary>
    string Name(TNode element);

    /// <summary>The (decoded) character data of a text node; valid until the next call on this tree.</summary>
    ReadOnlySpan<char> Text(TNode text);

    /// <summary>The (decoded) value of the first attribute named <paramref name="name"/>, or null.</summary>
    string? Attribute(TNode element, string name);

    /// <summary>True when the element carries <c>hidden</c> or <c>aria-hidden="true"</c>.</summary>
    bool IsHidden(TNode element);

    /// <summary>True for content written inside a table but outside its cells, which belongs before the table.</summary>
    bool IsFostered(TNode node);

    /// <summary>True when <paramref name="table"/> holds content for which <see cref="IsFostered"/> is true.</summary>
    bool HasFostered(TNode table);

    /// <summary>The concatenated text of every text node under the element, line ends as <c>\n</c>.</summary>
    string TextContent(TNode element);
}
