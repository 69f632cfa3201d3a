using System.Runtime.CompilerServices;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Memfun.Tools.Web;

/// <summary>
/// Turns an HTML page into Markdown: AngleSharp parses it (the HTML standard's tokenizer and tree construction),
/// the main content is picked (<c>main</c>, <c>[role=main]</c>, the article with the most text, else <c>body</c>
/// without its <c>header</c>), and <see cref="MarkdownWriter"/> writes headings, paragraphs, lists, links
/// (absolute), images, code blocks, block quotes, emphasis and pipe tables, dropping script, style, navigation,
/// footers, forms and hidden elements.
/// </summary>
/// <remarks>
/// Stateless and thread-safe. Input is untrusted; any string is accepted (malformed markup, any nesting depth:
/// past 512 levels the parser makes elements siblings of the deepest one); output is plain Markdown text.
/// </remarks>
internal static class HtmlMarkdownConverter
{
    private static readonly HashSet<string> KeptAttributes = new(StringComparer.OrdinalIgnoreCase)
    {
        // "style" is not read here but by readability (SmartReader), which runs on the same parsed document.
        "href", "src", "alt", "class", "hidden", "aria-hidden", "role", "start", "id", "style",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> KeptAttributeLookup = KeptAttributes.GetAlternateLookup<ReadOnlySpan<char>>();

    // Only what the conversion and readability read: no positions, comments, script or style text, unused attributes.
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

    /// <summary>Parses <paramref name="html"/> and converts its main content.</summary>
    public static MarkdownPage Convert(string html, Uri? baseUri = null)
    {
        using var writer = new MarkdownWriter(baseUri, Math.Clamp(html.Length / 2, 256, 1 << 22));
        var (title, hasMain) = ParseAndWrite(html, writer);

        // The DOM is garbage by now: the one large allocation, the Markdown string, does not make the collector
        // copy a young DOM that is still referenced.
        return new MarkdownPage(title, writer.ToString(), hasMain);
    }

    /// <summary>
    /// Parses <paramref name="html"/> with the lean options the conversion needs (no scripting, positions,
    /// comments, script or style text; only the attributes the conversion and readability read).
    /// </summary>
    public static IHtmlDocument Parse(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        return Parser.ParseDocument(html);
    }

    /// <summary>Converts the main content of a parsed document into a buffer sized once (<paramref name="capacity"/> characters).</summary>
    /// <remarks>Reads the document only; readability may run on the same document afterwards.</remarks>
    public static MarkdownPage Convert(IHtmlDocument document, Uri? baseUri, int capacity = 4096)
    {
        ArgumentNullException.ThrowIfNull(document);
        using var writer = new MarkdownWriter(baseUri, Math.Clamp(capacity, 256, 1 << 22));
        var (title, hasMain) = Write(document, writer);
        return new MarkdownPage(title, writer.ToString(), hasMain);
    }

    /// <summary>Converts an HTML fragment (for example a readability extract) as the content of a body.</summary>
    public static string ConvertFragment(string html, Uri? baseUri = null)
    {
        ArgumentNullException.ThrowIfNull(html);
        using var document = Parser.ParseDocument("<html><body>" + html + "</body></html>");
        using var writer = new MarkdownWriter(baseUri, Math.Clamp(html.Length / 2, 256, 1 << 22));
        if (document.Body is { } body)
        {
            writer.Children(body);
        }

        return writer.ToString();
    }

    /// <summary>Parses <paramref name="html"/> and writes its main content; the document is unreachable once this returns.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (string Title, bool HasMain) ParseAndWrite(string html, MarkdownWriter writer)
    {
        using var document = Parse(html);
        return Write(document, writer);
    }

    /// <summary>Writes the main content of <paramref name="document"/> into <paramref name="writer"/>.</summary>
    private static (string Title, bool HasMain) Write(IHtmlDocument document, MarkdownWriter writer)
    {
        var root = MainContent(document, out var hasMain);
        writer.SkipHeaders = !hasMain;
        if (root is not null)
        {
            writer.Children(root);
        }

        return (document.Title?.Trim() ?? string.Empty, hasMain);
    }

    private static bool KeepAttribute(ref AngleSharp.Html.Parser.Tokens.Struct.StructHtmlToken token, ReadOnlyMemory<char> name) =>
        KeptAttributeLookup.Contains(name.Span);

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
            return articles.Count == 1 ? articles[0] : articles.MaxBy(TextLength);
        }

        hasMain = false;
        return document.Body;

        // One depth-first walk over child nodes (a CSS selector here costs a selector match per element, twice;
        // Element.Children builds a collection per element).
        static bool Find(IElement e, ref IElement? main, ref List<IElement>? articles)
        {
            var name = e.LocalName;
            if (name == "main" || (e.Attributes.Length > 0 && string.Equals(e.GetAttribute("role"), "main", StringComparison.OrdinalIgnoreCase)))
            {
                main = e;
                return true;
            }

            if (name == "article")
            {
                (articles ??= []).Add(e);
            }

            var nodes = e.ChildNodes;
            for (var i = 0; i < nodes.Length; i++)
            {
                if (nodes[i] is IElement child && Find(child, ref main, ref articles))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>How many characters of text the element holds, without building its text.</summary>
    private static int TextLength(IElement element)
    {
        var length = 0;
        Add(element, ref length);
        return length;

        static void Add(INode node, ref int length)
        {
            var nodes = node.ChildNodes;
            for (var i = 0; i < nodes.Length; i++)
            {
                switch (nodes[i])
                {
                    case IText text:
                        length += text.Data.Length;
                        break;
                    case IElement child:
                        Add(child, ref length);
                        break;
                    default:
                        break;
                }
            }
        }
    }
}
