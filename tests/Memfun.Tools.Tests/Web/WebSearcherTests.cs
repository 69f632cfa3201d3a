using System.Text;
using Memfun.Tools.Tests.Infrastructure;
using Memfun.Tools.Web;
using Microsoft.Extensions.Options;

namespace Memfun.Tools.Tests.Web;

public sealed class SearchBackendsFixture : IDisposable
{
    public const string DuckDuckGoHtml = """
        <html><body><div id="links">
        <div class="result results_links results_links_deep web-result">
          <h2 class="result__title"><a rel="nofollow" class="result__a" href="//duckduckgo.com/l/?uddg=https%3A%2F%2Flearn.microsoft.com%2Fdotnet%2Fcsharp%2F&amp;rut=abc">C# <b>documentation</b></a></h2>
          <a class="result__snippet" href="#">Learn how to write <b>C#</b> code.</a>
        </div>
        <div class="result result--ad"><h2><a class="result__a" href="https://ads.example/">An ad</a></h2></div>
        <div class="result results_links web-result">
          <h2 class="result__title"><a class="result__a" href="https://github.com/dotnet/runtime">dotnet/runtime</a></h2>
          <a class="result__snippet">.NET is a cross-platform runtime.</a>
        </div>
        </div></body></html>
        """;

    public FixtureWebServer Server { get; } = new();

    public List<string> Requests { get; } = [];

    public FixtureWebServer Server2 => Server;

    public SearchBackendsFixture()
    {
        Server.Map("/html/", async ctx =>
        {
            using var reader = new StreamReader(ctx.Request.InputStream);
            var form = await reader.ReadToEndAsync();
            lock (Requests) { Requests.Add("ddg " + ctx.Request.HttpMethod + " " + form); }
            await Write(ctx, "text/html", DuckDuckGoHtml);
        });
        Server.Map("/search", async ctx =>
        {
            if (ctx.Request.HttpMethod == "POST")
            {
                using var reader = new StreamReader(ctx.Request.InputStream);
                var body = await reader.ReadToEndAsync();
                lock (Requests) { Requests.Add("tavily " + ctx.Request.Headers["Authorization"] + " " + body); }
                await Write(ctx, "application/json", """{"results":[{"title":"Tavily hit","url":"https://tavily.example/a","content":"from tavily"}]}""");
                return;
            }

            lock (Requests) { Requests.Add("searxng " + ctx.Request.Url!.Query); }
            await Write(ctx, "application/json", """
                {"query":"x","results":[
                  {"title":"SearXNG one","url":"https://one.example/","content":"first snippet"},
                  {"title":"SearXNG two","url":"https://two.example/","content":"second snippet"},
                  {"title":"SearXNG three","url":"https://three.example/","content":"third"}]}
                """);
        });
        Server.Map("/res/v1/web/search", async ctx =>
        {
            var token = ctx.Request.Headers["X-Subscription-Token"];
            lock (Requests) { Requests.Add("brave " + token + " " + ctx.Request.Url!.Query); }
            if (token != "brave-secret")
            {
                ctx.Response.StatusCode = 401;
                return;
            }

            await Write(ctx, "application/json", """{"web":{"results":[{"title":"Brave <strong>hit</strong>","url":"https://brave.example/","description":"a &amp; b"}]}}""");
        });
    }

    private static async Task Write(System.Net.HttpListenerContext ctx, string type, string body)
    {
        ctx.Response.ContentType = type;
        var bytes = Encoding.UTF8.GetBytes(body);
        await ctx.Response.OutputStream.WriteAsync(bytes);
    }

    public void Dispose() => Server.Dispose();
}

public sealed class WebSearcherTests(SearchBackendsFixture fixture) : IClassFixture<SearchBackendsFixture>
{
    private WebSearcher Searcher(string backend, string? keyEnv = null) => new(Options.Create(new WebOptions
    {
        SearchBackend = backend,
        SearchBaseUrl = fixture.Server.BaseUri.AbsoluteUri,
        ApiKeyEnv = keyEnv,
    }));

    [Fact]
    public async Task DuckDuckGo_results_are_read_from_the_html_endpoint_without_ads_and_with_real_target_urls()
    {
        using var searcher = Searcher("duckduckgo");
        var results = await searcher.SearchAsync("csharp docs");

        Assert.Equal(2, results.Count);
        Assert.Equal(new WebSearchResult("C# documentation", "https://learn.microsoft.com/dotnet/csharp/", "Learn how to write C# code."), results[0]);
        Assert.Equal("https://github.com/dotnet/runtime", results[1].Url);
        Assert.Contains(fixture.Requests, r => r.StartsWith("ddg POST q=csharp+docs", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SearXNG_results_come_from_its_json_api_and_respect_max_results()
    {
        using var searcher = Searcher("searxng");
        var results = await searcher.SearchAsync("rust async", maxResults: 2);
        Assert.Equal(["SearXNG one", "SearXNG two"], results.Select(r => r.Title));
        Assert.Equal("first snippet", results[0].Snippet);
        Assert.Contains(fixture.Requests, r => r.Contains("format=json", StringComparison.Ordinal) && r.Contains("q=rust%20async", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Brave_sends_the_key_from_the_named_environment_variable_and_strips_markup()
    {
        var variable = "MEMFUN_TEST_BRAVE_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "brave-secret");
        try
        {
            using var searcher = Searcher("brave", variable);
            var results = await searcher.SearchAsync("sqlite wal");
            Assert.Equal(new WebSearchResult("Brave hit", "https://brave.example/", "a & b"), Assert.Single(results));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task Tavily_posts_the_query_with_a_bearer_key()
    {
        var variable = "MEMFUN_TEST_TAVILY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "tvly-key");
        try
        {
            using var searcher = Searcher("tavily", variable);
            var results = await searcher.SearchAsync("nats jetstream", 3);
            Assert.Equal("Tavily hit", Assert.Single(results).Title);
            Assert.Contains(fixture.Requests, r => r.StartsWith("tavily Bearer tvly-key", StringComparison.Ordinal) && r.Contains("\"max_results\":3", StringComparison.Ordinal));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task A_missing_api_key_names_the_variable_to_set()
    {
        using var searcher = Searcher("brave", "MEMFUN_TEST_UNSET_" + Guid.NewGuid().ToString("N"));
        var ex = await Assert.ThrowsAsync<MemfunToolException>(() => searcher.SearchAsync("x"));
        Assert.Contains("MEMFUN_TEST_UNSET_", ex.Message);
    }

    [Fact]
    public async Task An_unknown_backend_or_a_bad_count_is_a_clear_error()
    {
        using var unknown = Searcher("altavista");
        Assert.Contains("Unknown search backend 'altavista'", (await Assert.ThrowsAsync<MemfunToolException>(() => unknown.SearchAsync("x"))).Message);
        using var searcher = Searcher("searxng");
        Assert.Contains("between 1 and 20", (await Assert.ThrowsAsync<MemfunToolException>(() => searcher.SearchAsync("x", 50))).Message);
    }
}
