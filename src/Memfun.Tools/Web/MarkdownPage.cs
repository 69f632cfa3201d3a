namespace Memfun.Tools.Web;

/// <summary>A page converted to Markdown.</summary>
/// <param name="Title">The document title (may be empty).</param>
/// <param name="Markdown">The main content as Markdown.</param>
/// <param name="FoundMainContent">True when a <c>main</c>, <c>[role=main]</c> or <c>article</c> element marked the content.</param>
internal sealed record MarkdownPage(string Title, string Markdown, bool FoundMainContent);
