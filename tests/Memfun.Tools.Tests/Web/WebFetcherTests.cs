using System.IO.Compression;
using System.Net;
using System.Text;
using Memfun.Tools.Tests.Infrastructure;
using Memfun.Tools.Web;

namespace Memfun.Tools.Tests.Web;

public sealed class WebFetcherFixture : IDisposable
{
    public const string ArticleHtml = """
        <!doctype html>
        <html><head><title>Configuring the build</title><style>body{color:red}</style>
        <script>var secret = "SCRIPT-TEXT";</script></head>
        <body>
        <nav><a href="/home">NAV-LINK</a></nav>
        <main>
          <h1>Configuring the build</h1>
          <p>Run the <code>make</code> target before <a href="/docs/test">running the tests</a>.</p>
          <h2>Steps</h2>
          <ul><li>Install <strong>dotnet</strong></li><li>Restore packages
             <ul><li>nested item</li></ul></li></ul>
          <pre><code class="language-bash">dotnet build -c Release
        dotnet test</code></pre>
          <table><tr><th>Flag</th><th>Meaning</th></tr><tr><td>-c</td><td>configuration</td></tr></table>
        </main>
        <footer>FOOTER-TEXT</footer>
        </body></html>
        """;

    public FixtureWebServer Server { get; } = new();

    public WebFetcherFixture()
    {
        var s = Server;
        s.MapText("/article", "text/html; charset=utf-8", ArticleHtml);
        s.MapText("/data.json", "application/json", """{"name":"memfun","version":1}""");
        s.MapText("/notes.txt", "text/plain", "line one\nline two\n");
        s.MapRedirect("/r1", "/r2", 301);
        s.MapRedirect("/r2", "/article", 307);
        s.MapRedirect("/to-private", "http://10.0.0.5/admin");
        s.MapRedirect("/to-metadata", "http://169.254.169.254/latest/meta-data/");
        s.MapRedirect("/to-localhost-name", $"http://localhost:{s.Port}/article");
        s.MapRedirect("/to-file", "file:///etc/passwd");
        s.MapRedirect("/loop", "/loop");
        s.MapText("/missing", "text/html", "<p>nope</p>", 404);
        s.Map("/image.png", async ctx =>
        {
            ctx.Response.ContentType = "image/png";
            var bytes = new byte[] { 0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0 };
            await ctx.Response.OutputStream.WriteAsync(bytes);
        });
        s.Map("/blob", async ctx =>
        {
            ctx.Response.ContentType = "application/octet-stream";
            await ctx.Response.OutputStream.WriteAsync(new byte[] { 1, 2, 0, 3, 0, 0, 7 });
        });
        s.Map("/gzip", async ctx =>
        {
            ctx.Response.ContentType = "text/html";
            ctx.Response.AddHeader("Content-Encoding", "gzip");
            using var ms = new MemoryStream();
            using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
            {
                gz.Write(Encoding.UTF8.GetBytes("<html><body><article><h1>Zipped page</h1><p>compressed body</p></article></body></html>"));
            }

            await ctx.Response.OutputStream.WriteAsync(ms.ToArray());
        });
        s.Map("/huge", async ctx =>
        {
            // 64 MiB of text, streamed; the client must stop long before the end.
            ctx.Response.ContentType = "text/plain";
            ctx.Response.SendChunked = true;
            var chunk = Encoding.ASCII.GetBytes(new string('x', 1023) + "\n");
            for (var i = 0; i < 64 * 1024; i++)
            {
                await ctx.Response.OutputStream.WriteAsync(chunk);
            }
        });
        s.Map("/slow-body", async ctx =>
        {
            ctx.Response.ContentType = "text/plain";
            ctx.Response.SendChunked = true;
            for (var i = 0; i < 300; i++)
            {
                await ctx.Response.OutputStream.WriteAsync(Encoding.ASCII.GetBytes($"part {i}\n"));
                await ctx.Response.OutputStream.FlushAsync();
                await Task.Delay(100);
            }
        });
        s.Map("/no-answer", async ctx =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10));
            ctx.Response.StatusCode = 204;
        });
        s.MapText("/counted", "text/html", "<main><p>cache me</p></main>");
        s.MapText("/long", "text/plain", new string('a', 5000));
    }

    public void Dispose() => Server.Dispose();
}

public sealed class WebFetcherTests(WebFetcherFixture fixture) : IClassFixture<WebFetcherFixture>
{
    private FixtureWebServer Server => fixture.Server;

    private static WebFetcher Fetcher(Action<WebOptions>? configure = null)
    {
        var options = new WebOptions { AllowLoopbackForTests = true, FetchTimeout = TimeSpan.FromSeconds(10) };
        configure?.Invoke(options);
        return new WebFetcher(options, null, TimeProvider.System);
    }

    [Fact]
    public async Task An_html_page_becomes_markdown_of_its_main_content_without_scripts_navigation_or_footer()
    {
        using var fetcher = Fetcher();
        var page = await fetcher.FetchAsync(Server.Url("/article").AbsoluteUri);

        Assert.Equal("Configuring the build", page.Title);
        Assert.Equal("text/html", page.ContentType);
        Assert.Contains("# Configuring the build", page.Content);
        Assert.Contains("## Steps", page.Content);
        Assert.Contains("Run the `make` target before [running the tests](" + Server.Url("/docs/test").AbsoluteUri + ").", page.Content);
        Assert.Contains("- Install **dotnet**", page.Content);
        Assert.Contains("  - nested item", page.Content);
        Assert.Contains("```bash\ndotnet build -c Release\ndotnet test\n```", page.Content);
        Assert.Contains("| Flag | Meaning |", page.Content);
        Assert.Contains("| -c | configuration |", page.Content);
        Assert.DoesNotContain("SCRIPT-TEXT", page.Content);
        Assert.DoesNotContain("NAV-LINK", page.Content);
        Assert.DoesNotContain("FOOTER-TEXT", page.Content);
        Assert.DoesNotContain("color:red", page.Content);
    }

    [Fact]
    public async Task Redirects_are_followed_hop_by_hop_to_the_final_page()
    {
        using var fetcher = Fetcher();
        var page = await fetcher.FetchAsync(Server.Url("/r1").AbsoluteUri);
        Assert.Equal(Server.Url("/article").AbsoluteUri, page.FinalUrl);
        Assert.Contains("# Configuring the build", page.Content);
    }

    [Theory]
    [InlineData("/to-private", "10.0.0.5")]
    [InlineData("/to-metadata", "169.254.169.254")]
    [InlineData("/to-localhost-name", "localhost")]
    [InlineData("/to-file", "file")]
    public async Task A_redirect_to_an_internal_address_is_refused(string path, string named)
    {
        using var fetcher = Fetcher();
        var ex = await Assert.ThrowsAsync<WebAccessDeniedException>(() => fetcher.FetchAsync(Server.Url(path).AbsoluteUri));
        Assert.Contains(named, ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Redirect", ex.Message);
    }

    [Fact]
    public async Task A_redirect_loop_stops_after_the_hop_limit()
    {
        using var fetcher = Fetcher(o => o.MaxRedirects = 3);
        var ex = await Assert.ThrowsAsync<MemfunToolException>(() => fetcher.FetchAsync(Server.Url("/loop").AbsoluteUri));
        Assert.Contains("redirected more than 3 times", ex.Message);
    }

    [Fact]
    public async Task An_http_error_status_is_reported_with_the_status()
    {
        using var fetcher = Fetcher();
        var ex = await Assert.ThrowsAsync<MemfunToolException>(() => fetcher.FetchAsync(Server.Url("/missing").AbsoluteUri));
        Assert.Contains("HTTP 404", ex.Message);
    }

    [Fact]
    public async Task Json_and_plain_text_pass_through_unchanged()
    {
        using var fetcher = Fetcher();
        var json = await fetcher.FetchAsync(Server.Url("/data.json").AbsoluteUri);
        Assert.Equal("""{"name":"memfun","version":1}""", json.Content);
        Assert.Equal("application/json", json.ContentType);
        var text = await fetcher.FetchAsync(Server.Url("/notes.txt").AbsoluteUri);
        Assert.Equal("line one\nline two\n", text.Content);
    }

    [Theory]
    [InlineData("/image.png", "image/png")]
    [InlineData("/blob", "application/octet-stream")]
    public async Task Binary_content_is_refused_with_a_clear_message(string path, string type)
    {
        using var fetcher = Fetcher();
        var ex = await Assert.ThrowsAsync<MemfunToolException>(() => fetcher.FetchAsync(Server.Url(path).AbsoluteUri));
        Assert.Contains("binary content", ex.Message);
        Assert.Contains(type, ex.Message);
    }

    [Fact]
    public async Task A_gzip_response_is_decompressed()
    {
        using var fetcher = Fetcher();
        var page = await fetcher.FetchAsync(Server.Url("/gzip").AbsoluteUri);
        Assert.Contains("# Zipped page", page.Content);
        Assert.Contains("compressed body", page.Content);
    }

    [Fact]
    public async Task A_huge_response_is_read_only_up_to_the_size_cap()
    {
        using var fetcher = Fetcher(o => o.MaxResponseBytes = 256 * 1024);
        var page = await fetcher.FetchAsync(Server.Url("/huge").AbsoluteUri, maxLength: 200_000);
        Assert.True(page.Truncated);
        Assert.StartsWith("xxxx", page.Content);
        Assert.Contains("Truncated at 200000", page.Content);
        Assert.Equal(256 * 1024 + "\n\n[The response was larger than 262144 bytes; only the first part was read.]".Length, page.TotalLength);
    }

    [Fact]
    public async Task A_body_that_trickles_past_the_time_limit_returns_what_arrived()
    {
        // 300 parts 100 ms apart take 30 s; the limit is long enough for the headers to arrive on a loaded machine.
        using var fetcher = Fetcher(o => o.FetchTimeout = TimeSpan.FromSeconds(4));
        var page = await fetcher.FetchAsync(Server.Url("/slow-body").AbsoluteUri);
        Assert.True(page.Truncated);
        Assert.StartsWith("part 0\n", page.Content);
        Assert.DoesNotContain("part 299", page.Content);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_with_a_clear_message()
    {
        using var fetcher = Fetcher(o => o.FetchTimeout = TimeSpan.FromSeconds(1));
        var ex = await Assert.ThrowsAsync<MemfunToolException>(() => fetcher.FetchAsync(Server.Url("/no-answer").AbsoluteUri));
        Assert.Contains("did not answer within 1 s", ex.Message);
    }

    [Fact]
    public async Task A_second_fetch_of_the_same_url_comes_from_the_cache()
    {
        using var fetcher = Fetcher();
        var first = await fetcher.FetchAsync(Server.Url("/counted").AbsoluteUri);
        var second = await fetcher.FetchAsync(Server.Url("/counted").AbsoluteUri);
        Assert.False(first.FromCache);
        Assert.True(second.FromCache);
        Assert.Equal(first.Content, second.Content);
        Assert.Equal(1, Server.Hits["/counted"]);
    }

    [Fact]
    public async Task Content_longer_than_max_length_is_cut_with_a_note()
    {
        using var fetcher = Fetcher();
        var page = await fetcher.FetchAsync(Server.Url("/long").AbsoluteUri, maxLength: 100);
        Assert.True(page.Truncated);
        Assert.StartsWith(new string('a', 100) + "\n\n[Truncated at 100 of 5000 characters", page.Content);
    }

    [Fact]
    public async Task Without_the_tests_switch_a_loopback_fixture_is_refused()
    {
        using var fetcher = new WebFetcher(new WebOptions(), null, TimeProvider.System);
        var ex = await Assert.ThrowsAsync<WebAccessDeniedException>(() => fetcher.FetchAsync(Server.Url("/article").AbsoluteUri));
        Assert.Contains("loopback", ex.Message);
        Assert.False(Server.Hits.ContainsKey("/article") && Server.Hits["/article"] > 100);
    }

    [Fact]
    public async Task The_connection_goes_to_the_address_that_was_checked_without_a_second_lookup()
    {
        // fixture.test exists in no DNS: the request can only succeed by connecting to the checked address.
        using var named = new FixtureWebServer(anyHostName: true);
        named.MapText("/by-name", "text/html", "<main><p>reached by name</p></main>");
        var lookups = 0;
        using var fetcher = Fetcher(o => o.ResolverForTests = (host, _) =>
        {
            Interlocked.Increment(ref lookups);
            return Task.FromResult(host == "fixture.test" ? new[] { IPAddress.Loopback } : []);
        });
        var page = await fetcher.FetchAsync($"http://fixture.test:{named.Port}/by-name");
        Assert.Contains("reached by name", page.Content);
        Assert.Equal(1, lookups);
    }

    [Fact]
    public async Task A_name_that_resolves_to_a_private_address_is_refused_before_connecting()
    {
        using var fetcher = Fetcher(o => o.ResolverForTests = (_, _) => Task.FromResult(new[] { IPAddress.Parse("93.184.216.34"), IPAddress.Parse("10.1.2.3") }));
        var ex = await Assert.ThrowsAsync<WebAccessDeniedException>(() => fetcher.FetchAsync("http://rebind.example.com/"));
        Assert.Contains("10.1.2.3", ex.Message);
        Assert.Contains("private", ex.Message);
    }
}
