namespace Memfun.Tools.Web;

/// <summary>
/// Turns an HTML page into Markdown without building a DOM: <see cref="HtmlTokenizer"/> and
/// <see cref="HtmlTreeBuilder"/> make a flat event list over the source string, the main content is picked
/// (<c>main</c>, <c>[role=main]</c>, the article with the most text, else <c>body</c> without its
/// <c>header</c>), and <see cref="MarkdownWriter{TTree, TNode}"/> writes headings, paragraphs, lists, links
/// (absolute), images, code blocks, block quotes, emphasis and pipe tables, dropping script, style,
/// navigation, footers, forms and hidden elements.
/// </summary>
/// <remarks>
/// Stateless and thread-safe. Input is untrusted; any string is accepted (malformed markup, any nesting depth);
/// output is plain Markdown text. Writes the same Markdown as <see cref="DomMarkdownConverter"/> (AngleSharp's
/// DOM) except on the malformed cases <see cref="HtmlTreeBuilder"/> lists.
/// </remarks>
internal static class HtmlMarkdownConverter
{
    /// <summary>Parses <paramref name="html"/> and converts its main content.</summary>
    public static MarkdownPage Convert(string html, Uri? baseUri = null)
    {
        var events = HtmlTreeBuilder.Build(html);
        var tree = new HtmlEventTree(events);
        var root = MainContent(events, tree, out var hasMain);
        var writer = new MarkdownWriter<HtmlEventTree, int>(tree, baseUri, skipHeaders: !hasMain, Math.Clamp(html.Length / 2, 256, 1 << 22));
        writer.Children(root);
        return new MarkdownPage(events.Title, writer.ToString(), hasMain);
    }

    /// <summary>Converts an HTML fragment (for example a readability extract) as the content of a body.</summary>
    public static string ConvertFragment(string html, Uri? baseUri = null)
    {
        ArgumentNullException.ThrowIfNull(html);
        var events = HtmlTreeBuilder.Build("<html><body>" + html + "</body></html>");
        var tree = new HtmlEventTree(events);
        var writer = new MarkdownWriter<HtmlEventTree, int>(tree, baseUri, skipHeaders: false);
        writer.Children(events.Body);
        return writer.ToString();
    }

    /// <summary>The first <c>main</c> or <c>[role=main]</c> element in document order, else the article with the most text, else the body.</summary>
    private static int MainContent(HtmlEventList events, HtmlEventTree tree, out bool hasMain)
    {
        hasMain = true;
        if (events.Main >= 0)
        {
            return events.Main;
        }

        var articles = events.Articles;
        if (articles.Count > 0)
        {
            var best = articles[0];
            if (articles.Count > 1)
            {
                var most = tree.TextLength(best);
                for (var i = 1; i < articles.Count; i++)
                {
                    if (tree.TextLength(articles[i]) is var length && length > most)
                    {
                        (best, most) = (articles[i], length);
                    }
                }
            }

            return best;
        }

        hasMain = false;
        return events.Body;
    }
}
