using System.Net;
using System.Net.Sockets;
using System.Text;
using Memfun.McpServer.Tests.Infrastructure;

namespace Memfun.McpServer.Tests.Mcp;

public sealed class WebToolsTests
{
    [Fact]
    public async Task Web_tools_are_read_only_open_world_and_refuse_local_addresses()
    {
        using var ws = new TempWorkspace();
        await using var client = await MemfunServerProcess.StartStdioAsync(ws.Path);

        var tools = (await client.ListToolsAsync()).ToDictionary(t => t.Name);
        foreach (var name in new[] { "web_fetch", "web_search" })
        {
            var a = tools[name].ProtocolTool.Annotations!;
            Assert.True(a.ReadOnlyHint);
            Assert.True(a.OpenWorldHint);
        }

        foreach (var url in new[] { "http://127.0.0.1:9/", "http://169.254.169.254/latest/meta-data/", "file:///etc/passwd", "http://[::ffff:10.0.0.1]/" })
        {
            var result = await client.CallToolAsync("web_fetch", new Dictionary<string, object?> { ["url"] = url });
            Assert.True(result.IsError, url);
            Assert.Matches("(Refused|Only http and https)", result.Text());
        }
    }

    [Fact]
    public async Task Web_search_uses_the_configured_backend_and_returns_structured_results()
    {
        using var listener = new HttpListener();
        var port = MemfunServerProcess.FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var serve = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext ctx;
                try { ctx = await listener.GetContextAsync(); } catch (Exception) { return; }
                var body = Encoding.UTF8.GetBytes("""{"results":[{"title":"MCP spec","url":"https://modelcontextprotocol.io/","content":"The protocol."}]}""");
                ctx.Response.ContentType = "application/json";
                await ctx.Response.OutputStream.WriteAsync(body);
                ctx.Response.Close();
            }
        });

        using var ws = new TempWorkspace();
        // Where searches go is the user's setting (variables, ~/.memfun/config.toml), never a project file's.
        var env = new Dictionary<string, string?> { ["MEMFUN_WEB__SEARCH_BACKEND"] = "searxng", ["MEMFUN_WEB__SEARCH_BASE_URL"] = $"http://127.0.0.1:{port}" };
        await using (var client = await MemfunServerProcess.StartStdioAsync(ws.Path, env))
        {
            var result = await client.CallToolAsync("web_search", new Dictionary<string, object?> { ["query"] = "model context protocol", ["max_results"] = 3 });
            Assert.NotEqual(true, result.IsError);
            Assert.Contains("1. MCP spec\n   https://modelcontextprotocol.io/\n   The protocol.", result.Text());
            var structured = result.StructuredContent!.Value;
            Assert.Equal("searxng", structured.GetProperty("backend").GetString());
            Assert.Equal("https://modelcontextprotocol.io/", structured.GetProperty("results")[0].GetProperty("url").GetString());
        }

        listener.Stop();
        await serve;
    }
}
