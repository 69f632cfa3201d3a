using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.Options;

namespace Memfun.Tools.Web;

/// <summary>
/// Searches the web through the configured backend: DuckDuckGo's HTML endpoint (default, no key),
/// a SearXNG instance (JSON API), Brave Search or Tavily (API keys from the environment variable named
/// by <see cref="WebOptions.ApiKeyEnv"/>).
/// </summary>
/// <remarks>
/// Thread-safe; owns one HTTP client. The backend URL comes from configuration (trusted), never from
/// tool arguments, so search requests are not subject to the fetch SSRF rules (a SearXNG instance on
/// the local network is a normal set-up). API keys are sent only to their backend and never logged.
/// </remarks>
public sealed class WebSearcher : IDisposable
{
    private static readonly HtmlParser Parser = new();
    private readonly WebOptions _options;
    private readonly HttpClient _http;

    /// <summary>Creates the searcher from the configured options.</summary>
    public WebSearcher(IOptions<WebOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _http = new HttpClient(new SocketsHttpHandler
        {
            AutomaticDecompression = System.Net.DecompressionMethods.All,
            ConnectTimeout = _options.ConnectTimeout,
            MaxAutomaticRedirections = 3,
        })
        { Timeout = _options.SearchTimeout };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(_options.UserAgent);
    }

    /// <summary>The backend in use (lower case).</summary>
    public string Backend => _options.SearchBackend.Trim().ToLowerInvariant();

    /// <summary>Runs <paramref name="query"/> and returns at most <paramref name="maxResults"/> hits (1–20, default 8).</summary>
    /// <exception cref="MemfunToolException">Empty query, missing API key, unknown backend, or the backend failed.</exception>
    public async Task<IReadOnlyList<WebSearchResult>> SearchAsync(string query, int? maxResults = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            throw new MemfunToolException("The query is empty. Pass a few keywords.");
        }

        var max = maxResults ?? 8;
        if (max is < 1 or > 20)
        {
            throw new MemfunToolException($"max_results must be between 1 and 20; got {max}.");
        }

        try
        {
            var results = Backend switch
            {
                "duckduckgo" or "ddg" => await DuckDuckGoAsync(query, cancellationToken).ConfigureAwait(false),
                "searxng" => await SearxngAsync(query, cancellationToken).ConfigureAwait(false),
                "brave" => await BraveAsync(query, max, cancellationToken).ConfigureAwait(false),
                "tavily" => await TavilyAsync(query, max, cancellationToken).ConfigureAwait(false),
                _ => throw new MemfunToolException(
                    $"Unknown search backend '{_options.SearchBackend}' ([web] search_backend). Use duckduckgo, searxng, brave or tavily."),
            };
            return [.. results.Where(r => r.Url.Length > 0).DistinctBy(r => r.Url).Take(max)];
        }
        catch (HttpRequestException ex)
        {
            throw new MemfunToolException($"The {Backend} search backend failed: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MemfunToolException($"The {Backend} search backend did not answer within {_options.SearchTimeout.TotalSeconds:0} s.", ex);
        }
        catch (JsonException ex)
        {
            throw new MemfunToolException($"The {Backend} search backend sent an answer that is not the expected JSON: {ex.Message}", ex);
        }
    }

    private Uri BaseUrl(string fallback) => new((_options.SearchBaseUrl is { Length: > 0 } b ? b : fallback).TrimEnd('/') + "/");

    private string ApiKey(string defaultVariable)
    {
        var variable = _options.ApiKeyEnv is { Length: > 0 } v ? v : defaultVariable;
        return Environment.GetEnvironmentVariable(variable) is { Length: > 0 } key
            ? key
            : throw new MemfunToolException(
                $"The {Backend} search backend needs an API key in the environment variable {variable} ([web] api_key_env names it). Set it, or use search_backend = \"duckduckgo\".");
    }

    private async Task<List<WebSearchResult>> DuckDuckGoAsync(string query, CancellationToken cancellationToken)
    {
        var url = new Uri(BaseUrl("https://html.duckduckgo.com"), "html/");
        using var form = new FormUrlEncodedContent([new("q", query), new("kl", "wt-wt")]);
        using var response = await _http.PostAsync(url, form, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var html = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var document = await Parser.ParseDocumentAsync(html, cancellationToken).ConfigureAwait(false);
        var results = new List<WebSearchResult>();
        foreach (var result in document.QuerySelectorAll(".result, .web-result"))
        {
            if (result.ClassList.Contains("result--ad"))
            {
                continue;
            }

            var link = result.QuerySelector("a.result__a");
            if (link is null)
            {
                continue;
            }

            var href = DuckDuckGoTarget(link.GetAttribute("href") ?? string.Empty);
            var snippet = result.QuerySelector(".result__snippet")?.TextContent ?? string.Empty;
            results.Add(new WebSearchResult(Clean(link.TextContent), href, Clean(snippet)));
        }

        return results;
    }

    /// <summary>DuckDuckGo wraps targets as <c>//duckduckgo.com/l/?uddg=&lt;encoded&gt;</c>; returns the target.</summary>
    internal static string DuckDuckGoTarget(string href)
    {
        var marker = href.IndexOf("uddg=", StringComparison.Ordinal);
        if (marker >= 0)
        {
            var encoded = href[(marker + 5)..];
            var amp = encoded.IndexOf('&', StringComparison.Ordinal);
            return Uri.UnescapeDataString(amp >= 0 ? encoded[..amp] : encoded);
        }

        return href.StartsWith("//", StringComparison.Ordinal) ? "https:" + href : href;
    }

    private async Task<List<WebSearchResult>> SearxngAsync(string query, CancellationToken cancellationToken)
    {
        var url = new Uri(BaseUrl("http://127.0.0.1:8888"), "search?format=json&q=" + Uri.EscapeDataString(query));
        using var json = await GetJsonAsync(new HttpRequestMessage(HttpMethod.Get, url), cancellationToken).ConfigureAwait(false);
        return Read(json.RootElement, "results", "title", "url", "content");
    }

    private async Task<List<WebSearchResult>> BraveAsync(string query, int max, CancellationToken cancellationToken)
    {
        var key = ApiKey("BRAVE_API_KEY");
        var url = new Uri(BaseUrl("https://api.search.brave.com"),
            "res/v1/web/search?q=" + Uri.EscapeDataString(query) + "&count=" + max.ToString(CultureInfo.InvariantCulture));
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("X-Subscription-Token", key);
        request.Headers.Accept.ParseAdd("application/json");
        using var json = await GetJsonAsync(request, cancellationToken).ConfigureAwait(false);
        return json.RootElement.TryGetProperty("web", out var web) ? Read(web, "results", "title", "url", "description") : [];
    }

    private async Task<List<WebSearchResult>> TavilyAsync(string query, int max, CancellationToken cancellationToken)
    {
        var key = ApiKey("TAVILY_API_KEY");
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseUrl("https://api.tavily.com"), "search"))
        {
            Content = JsonContent.Create(new Dictionary<string, object> { ["query"] = query, ["max_results"] = max }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var json = await GetJsonAsync(request, cancellationToken).ConfigureAwait(false);
        return Read(json.RootElement, "results", "title", "url", "content");
    }

    private async Task<JsonDocument> GetJsonAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new MemfunToolException($"The {Backend} search backend answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static List<WebSearchResult> Read(JsonElement parent, string array, string title, string url, string snippet)
    {
        var results = new List<WebSearchResult>();
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(array, out var items) || items.ValueKind != JsonValueKind.Array)
        {
            return results;
        }

        foreach (var item in items.EnumerateArray())
        {
            results.Add(new WebSearchResult(Clean(Str(item, title)), Str(item, url), Clean(Str(item, snippet))));
        }

        return results;
    }

    private static string Str(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? string.Empty : string.Empty;

    private static string Clean(string s)
    {
        // Brave marks matches with <strong>; strip any tags and collapse whitespace.
        if (s.Contains('<', StringComparison.Ordinal))
        {
            var sb = new System.Text.StringBuilder(s.Length);
            var inTag = false;
            foreach (var ch in s)
            {
                if (ch == '<') { inTag = true; }
                else if (ch == '>' && inTag) { inTag = false; }
                else if (!inTag) { sb.Append(ch); }
            }

            s = sb.ToString();
        }

        if (s.Contains('&', StringComparison.Ordinal))
        {
            s = System.Net.WebUtility.HtmlDecode(s);
        }

        return string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Releases the HTTP client.</summary>
    public void Dispose() => _http.Dispose();
}
