using AngleSharp.Dom;

namespace Memfun.Tools.Web;

/// <summary>An AngleSharp DOM seen as an <see cref="IMarkupTree{TNode}"/>.</summary>
/// <remarks>Children are read by index: AngleSharp's <c>NextSibling</c> searches the parent's list, quadratic on wide nodes.</remarks>
internal readonly struct DomTree : IMarkupTree<INode>
{
    public bool NextChild(INode parent, ref int cursor, out INode child)
    {
        var nodes = parent.ChildNodes;
        while (cursor < nodes.Length)
        {
            var node = nodes[cursor++];
            if (node is IText or IElement)
            {
                child = node;
                return true;
            }
        }

        child = null!;
        return false;
    }

    public bool IsElement(INode node) => node is IElement;

    public string Name(INode element) => ((IElement)element).LocalName;

    public ReadOnlySpan<char> Text(INode text) => ((IText)text).Data;

    public string? Attribute(INode element, string name) => ((IElement)element).GetAttribute(name);

    public bool IsHidden(INode element)
    {
        var e = (IElement)element;
        return e.HasAttribute("hidden") || string.Equals(e.GetAttribute("aria-hidden"), "true", StringComparison.OrdinalIgnoreCase);
    }

    // AngleSharp has already moved such content before the table.
    public bool IsFostered(INode node) => false;

    public bool HasFostered(INode table) => false;

    public string TextContent(INode element) => element.TextContent;
}
