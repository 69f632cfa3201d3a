using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Memfun.McpServer.Tests.Infrastructure;

namespace Memfun.McpServer.Tests.Hosting;

/// <summary>The HTTP endpoint's guard, against the built server: DNS-rebinding protection and the bearer token.</summary>
public sealed class HttpAccessGuardTests : IDisposable
{
    private const string Ping = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""";
    private readonly TempWorkspace _ws = new();
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _http.Dispose();
        _ws.Dispose();
    }

    [Theory]
    [InlineData("evil.example.com")]
    [InlineData("127.0.0.1.nip.io")]
    [InlineData("localhost.evil.example")]
    public async Task A_request_whose_Host_is_not_the_loopback_name_is_refused(string host)
    {
        await using var server = await MemfunServerProcess.StartHttpAsync(_ws.Path);

        using var response = await PostAsync(server, r => r.Headers.Host = $"{host}:{server.Endpoint.Port}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Host header", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://evil.example.com")]
    [InlineData("https://attacker.test:8443")]
    [InlineData("null")]
    public async Task A_request_from_a_foreign_Origin_is_refused(string origin)
    {
        await using var server = await MemfunServerProcess.StartHttpAsync(_ws.Path);

        using var response = await PostAsync(server, r => r.Headers.Add("Origin", origin));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Origin", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loopback_Host_and_Origin_are_served()
    {
        await using var server = await MemfunServerProcess.StartHttpAsync(_ws.Path);

        using var response = await PostAsync(server, r =>
        {
            r.Headers.Host = $"localhost:{server.Endpoint.Port}";
            r.Headers.Add("Origin", $"http://localhost:{server.Endpoint.Port}");
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task With_a_token_configured_requests_without_it_or_with_a_wrong_one_get_401_and_the_right_one_is_served()
    {
        await using var server = await MemfunServerProcess.StartHttpAsync(_ws.Path, environment: new Dictionary<string, string?> { ["MEMFUN_HTTP_TOKEN"] = "s3cret-token" });

        using (var none = await PostAsync(server, _ => { }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        }

        using (var wrong = await PostAsync(server, r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-tokeN")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var right = await PostAsync(server, r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-token")))
        {
            Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        }

        await using var client = await server.ConnectAsync(new Dictionary<string, string> { ["Authorization"] = "Bearer s3cret-token" });
        Assert.Equal("memfun", client.ServerInfo?.Name);
        Assert.DoesNotContain("s3cret-token", server.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://[::]:0")]
    [InlineData("http://192.0.2.10:0")]
    public async Task A_non_loopback_bind_without_a_token_is_refused_before_listening(string url)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet", [MemfunServerProcess.ServerDll, "serve", "--http", "--urls", url, "--workspace", _ws.Path])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        psi.Environment.Remove("MEMFUN_HTTP_TOKEN");
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stderr = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();

        Assert.Equal(2, p.ExitCode);
        Assert.Contains("without a bearer token", stderr, StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> PostAsync(HttpServerProcess server, Action<HttpRequestMessage> configure)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, server.Endpoint)
        {
            Content = new StringContent(Ping, Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        configure(request);
        return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }
}
