namespace Memfun.Tools.Web;

/// <summary>One search hit.</summary>
/// <param name="Title">The page title.</param>
/// <param name="Url">The page URL.</param>
/// <param name="Snippet">The backend's excerpt (may be empty).</param>
public sealed record WebSearchResult(string Title, string Url, string Snippet);
