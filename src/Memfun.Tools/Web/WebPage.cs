namespace Memfun.Tools.Web;

/// <summary>What <c>web_fetch</c> returns: the page's main content as Markdown (or plain text for non-HTML).</summary>
/// <param name="Url">The URL asked for.</param>
/// <param name="FinalUrl">The URL answered after redirects.</param>
/// <param name="StatusCode">The HTTP status of the final response.</param>
/// <param name="ContentType">The media type of the response (for example <c>text/html</c>).</param>
/// <param name="Title">The page title, when it had one.</param>
/// <param name="Content">The content: Markdown for HTML, the text itself otherwise; cut at the requested length.</param>
/// <param name="TotalLength">The length in characters of the whole converted content, before cutting.</param>
/// <param name="Truncated">True when the content was cut (by the requested length, the size cap or the time limit).</param>
/// <param name="FromCache">True when the page came from the cache rather than the network.</param>
public sealed record WebPage(
    string Url,
    string FinalUrl,
    int StatusCode,
    string ContentType,
    string Title,
    string Content,
    int TotalLength,
    bool Truncated,
    bool FromCache);
