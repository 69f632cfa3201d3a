using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Memfun.Tools.Web;

/// <summary>
/// HTML→Markdown over AngleSharp's DOM: parses the page into a full document, picks the main content
/// (<c>main</c>, <c>[role=main]</c>, the largest <c>article</c>, else <c>body</c>) and writes it with the same
/// <see cref="MarkdownWriter{TTree, TNode}"/> as <see cref="HtmlMarkdownConverter"/>.
/// </summary>
/// <remarks>
/// Stateless and thread-safe. <c>web_fetch</c> uses only <see cref="Parse"/> (for readability, which needs a DOM);
/// the conversion is kept as the reference the streaming converter is measured and tested against.
/// </remarks>
internal static class DomMarkdownConverter
{
    private static readonly HashSet<string> KeptAttributes = new(StringComparer.OrdinalIgnoreCase)
    {
        // "style" is not read here but by readability (SmartReader), which runs on the same parsed document.
        "href", "src", "alt", "class", "hidden", "aria-hidden", "role", "start", "id", "style",
    };

    // Only what the conversion reads: no positions, comments, script or style text, unused attributes.
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

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> KeptAttributeLookup = KeptAttributes.GetAlternateLookup<ReadOnlySpan<char>>();

    private static bool KeepAttribute(ref AngleSharp.Html.Parser.Tokens.Struct.StructHtmlToken token, ReadOnlyMemory<char> name) =>
        KeptAttributeLookup.Contains(name.Span);

    /// <summary>Parses <paramref name="html"/> and converts it.</summary>
    public static MarkdownPage Convert(string html, Uri? baseUri = null) => Convert(Parse(html), baseUri, html.Length / 2);

    /// <summary>
    /// Parses <paramref name="html"/> with the lean options the conversion needs (no scripting, positions,
    /// comments, script or style text; only the attributes the conversion and readability read).
    /// </summary>
    public static IHtmlDocument Parse(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        return Parser.ParseDocument(html);
    }

    /// <summary>Converts a parsed document.</summary>
    public static MarkdownPage Convert(IHtmlDocument document, Uri? baseUri = null) => Convert(document, baseUri, 4096);

    /// <summary>Converts a parsed document into a buffer sized once (<paramref name="capacity"/> characters): fewer, smaller allocations while the young DOM is alive mean fewer collections that copy it.</summary>
    internal static MarkdownPage Convert(IHtmlDocument document, Uri? baseUri, int capacity)
    {
        ArgumentNullException.ThrowIfNull(document);
        var root = MainContent(document, out var hasMain);
        var writer = new MarkdownWriter<DomTree, INode>(default, baseUri, skipHeaders: !hasMain, Math.Clamp(capacity, 256, 1 << 22));
        if (root is not null)
        {
            writer.Children(root);
        }

        return new MarkdownPage(document.Title?.Trim() ?? string.Empty, writer.ToString(), hasMain);
    }

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
            return articles.Count == 1 ? articles[0] : articles.MaxBy(a => a.TextContent.Length);
        }

        hasMain = false;
        return document.Body;

        // One depth-first walk (a CSS selector here costs a selector match per element, twice).
        static bool Find(IElement e, ref IElement? main, ref List<IElement>? articles)
        {
            if (e.LocalName == "main" || string.Equals(e.GetAttribute("role"), "main", StringComparison.OrdinalIgnoreCase))
            {
                main = e;
                return true;
            }

            if (e.LocalName == "article")
            {
                (articles ??= []).Add(e);
            }

            var children = e.Children;
            for (var i = 0; i < children.Length; i++)
            {
                if (Find(children[i], ref main, ref articles))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
