using System.ComponentModel;
using System.Text;
using System.Text.Json;
using Memfun.Tools.Web;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Mcp;

/// <summary>The web tools: web_fetch and web_search.</summary>
[McpServerToolType]
internal sealed class WebTools(WebFetcher fetcher, WebSearcher searcher)
{
    [McpServerTool(Name = "web_fetch", Title = "Fetch a web page", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WebFetchOutput))]
    [Description("Fetches a public web page and returns its main content as Markdown (navigation, scripts and footers removed); other text " +
        "(JSON, plain text, XML) comes back as is; binary files are refused. Only public http(s) URLs: local, private and cloud-metadata " +
        "addresses are refused. Pages are cached for 15 minutes. Use after web_search to read a result, or to read documentation.")]
    public async Task<CallToolResult> WebFetch(
        [Description("Absolute http:// or https:// URL of a public page.")] string url,
        [Description("Most characters of content to return (default 20000, up to 200000); longer content is cut with a note.")] int? max_length = null,
        CancellationToken cancellationToken = default)
    {
        var page = await fetcher.FetchAsync(url, max_length, cancellationToken);
        var sb = new StringBuilder();
        if (page.Title.Length > 0)
        {
            sb.Append("# ").AppendLine(page.Title);
        }

        sb.Append("URL: ").AppendLine(page.FinalUrl).AppendLine();
        sb.Append(page.Content);
        var output = new WebFetchOutput(page.Url, page.FinalUrl, page.StatusCode, page.ContentType, page.Title, page.Content, page.TotalLength, page.Truncated, page.FromCache);
        return ToolResults.Structured(sb.ToString(), output);
    }

    [McpServerTool(Name = "web_search", Title = "Search the web", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WebSearchOutput))]
    [Description("Searches the web (DuckDuckGo by default; SearXNG, Brave or Tavily when configured) and returns titles, URLs and snippets. " +
        "Use web_fetch on a result's URL to read it.")]
    public async Task<CallToolResult> WebSearch(
        [Description("The search query, a few keywords.")] string query,
        [Description("Most results to return, 1-20 (default 8).")] int? max_results = null,
        CancellationToken cancellationToken = default)
    {
        var results = await searcher.SearchAsync(query, max_results, cancellationToken);
        var sb = new StringBuilder();
        if (results.Count == 0)
        {
            sb.Append("No results.");
        }

        for (var i = 0; i < results.Count; i++)
        {
            var r = results[i];
            sb.Append(i + 1).Append(". ").AppendLine(r.Title).Append("   ").AppendLine(r.Url);
            if (r.Snippet.Length > 0)
            {
                sb.Append("   ").AppendLine(r.Snippet);
            }
        }

        return ToolResults.Structured(sb.ToString().TrimEnd(), new WebSearchOutput(searcher.Backend, results));
    }

    /// <summary>web_fetch's result.</summary>
    internal sealed record WebFetchOutput(string Url, string FinalUrl, int Status, string ContentType, string Title, string Content, int TotalLength, bool Truncated, bool FromCache);

    /// <summary>web_search's result.</summary>
    internal sealed record WebSearchOutput(string Backend, IReadOnlyList<WebSearchResult> Results);
}
