using System.ComponentModel;
using System.Text;
using System.Text.Json;
using Memfun.Tools.Web;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Mcp;

/// <summary>The web tools: web_fetch and web_search.</summary>
[McpServerToolType]
[Toolset(Hosting.Toolsets.Web)]
internal sealed class WebTools(WebFetcher fetcher, WebSearcher searcher)
{
    [McpServerTool(Name = "web_fetch", Title = "Fetch a web page", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WebFetchOutput))]
    [Description("Fetches a public web page and returns its main content as Markdown; JSON, plain text and XML come back as is; " +
        "binary files are refused. Only public http(s) addresses: local, private and cloud-metadata ones are refused. " +
        "Cached for 15 minutes.")]
    public async Task<CallToolResult> WebFetch(
        [Description("An absolute http(s) URL.")] string url,
        [Description("Most characters returned (default 20000, up to 200000); more is cut with a note.")] int? max_length = null,
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
    [Description("Searches the web (DuckDuckGo; SearXNG, Brave or Tavily when configured): titles, URLs and snippets. Read a result with web_fetch.")]
    public async Task<CallToolResult> WebSearch(
        [Description("A few keywords.")] string query,
        [Description("1-20 (default 8).")] int? max_results = null,
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
