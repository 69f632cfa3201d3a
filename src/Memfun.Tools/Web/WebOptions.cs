namespace Memfun.Tools.Web;

/// <summary>Settings of <c>web_fetch</c> and <c>web_search</c> (configuration section <c>[web]</c>).</summary>
/// <remarks>
/// Mutable, bound from configuration once at start. The SSRF rules are not configurable: only the
/// tests-only switch <see cref="AllowLoopbackForTests"/> relaxes them, and it is internal so neither
/// configuration nor tool arguments can reach it.
/// </remarks>
public sealed class WebOptions
{
    /// <summary>Whole-request time limit of one fetch (all redirect hops and the body). Default 20 s; 1 s to 5 min.</summary>
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Time limit to open a TCP connection. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Most bytes read from one response body (after decompression); reading stops there. Default 5 MiB.</summary>
    public long MaxResponseBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Characters returned by <c>web_fetch</c> when the caller gives no <c>max_length</c>. Default 20 000.</summary>
    public int DefaultMaxLength { get; set; } = 20_000;

    /// <summary>Largest <c>max_length</c> a caller may ask for. Default 200 000.</summary>
    public int MaxLengthLimit { get; set; } = 200_000;

    /// <summary>Redirect hops followed (each re-checked). Default 5.</summary>
    public int MaxRedirects { get; set; } = 5;

    /// <summary>How long a fetched page is served from the cache. Default 15 minutes; zero disables the cache.</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Pages kept in the cache at most. Default 128.</summary>
    public int CacheEntries { get; set; } = 128;

    /// <summary>User-Agent header sent with every request.</summary>
    public string UserAgent { get; set; } = "Mozilla/5.0 (compatible; memfun/0.1; +https://github.com/memfun)";

    /// <summary>Search backend: <c>duckduckgo</c> (default, no key), <c>searxng</c>, <c>brave</c> or <c>tavily</c>.</summary>
    public string SearchBackend { get; set; } = "duckduckgo";

    /// <summary>Name of the environment variable that holds the search API key (Brave, Tavily). Default <c>BRAVE_API_KEY</c> / <c>TAVILY_API_KEY</c> per backend.</summary>
    public string? ApiKeyEnv { get; set; }

    /// <summary>Base URL of the search backend; default per backend (DuckDuckGo <c>https://html.duckduckgo.com</c>, Brave <c>https://api.search.brave.com</c>, Tavily <c>https://api.tavily.com</c>, SearXNG <c>http://127.0.0.1:8888</c>).</summary>
    public string? SearchBaseUrl { get; set; }

    /// <summary>Time limit of one search request. Default 15 s.</summary>
    public TimeSpan SearchTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Tests only: lets <c>web_fetch</c> reach loopback addresses (127.0.0.0/8, ::1) so tests can use
    /// fixture servers on 127.0.0.1. Every other SSRF rule stays in force. Internal: not bindable from
    /// configuration, never reachable from tool arguments.
    /// </summary>
    internal bool AllowLoopbackForTests { get; set; }

    /// <summary>Tests only: replaces DNS resolution (to simulate names that resolve to private addresses).</summary>
    internal Func<string, CancellationToken, Task<System.Net.IPAddress[]>>? ResolverForTests { get; set; }
}
