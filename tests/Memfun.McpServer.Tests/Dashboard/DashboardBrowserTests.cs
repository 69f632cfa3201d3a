using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Memfun.McpServer.Tests.Infrastructure;
using Microsoft.Playwright;
using ModelContextProtocol.Client;

namespace Memfun.McpServer.Tests.Dashboard;

/// <summary>
/// Drives the live dashboard in Debian's headless Chromium (never a downloaded browser) while real memfun
/// processes serve MCP on the same workspace.
/// </summary>
public sealed class DashboardBrowserTests(HeadlessChromium chromium) : IClassFixture<HeadlessChromium>, IDisposable
{
    private readonly TempWorkspace _workspace = new("memfun-dash");
    private readonly IBrowser _browser = chromium.Browser;

    public void Dispose() => _workspace.Dispose();

    private static string ScreenshotPath(string name) => DashboardLockFile.ScreenshotPath(name);

    private Task<(int Port, string Token)> WaitForLockAsync() => DashboardLockFile.WaitAsync(_workspace.Path);

    [Fact]
    public async Task A_request_through_mcp_and_a_second_process_events_show_live_with_hostile_names_as_text()
    {
        await using var first = await MemfunServerProcess.StartStdioAsync(_workspace.Path);
        var (port, _) = await WaitForLockAsync();
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 800 } });
        var dialogs = 0;
        page.Dialog += async (_, d) => { dialogs++; await d.DismissAsync(); };
        await page.GotoAsync($"http://127.0.0.1:{port}/");
        await page.Locator("#conn").Filter(new LocatorFilterOptions { HasText = "live" }).WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });

        // A request through MCP appears on the page.
        const string hostile = "<img src=x onerror=alert(1)>.py";
        await first.CallToolAsync("workflow_status", new Dictionary<string, object?> { ["id"] = hostile });
        await page.Locator("#history li", new PageLocatorOptions { HasText = "workflow_status" }).First.WaitForAsync(new LocatorWaitForOptions { Timeout = 5_000 });

        // The hostile name is shown as text, never as markup.
        await page.Locator("#events li", new PageLocatorOptions { HasText = hostile }).First.WaitForAsync(new LocatorWaitForOptions { Timeout = 5_000 });
        Assert.Equal(0, await page.Locator("main img").CountAsync());
        Assert.Equal(0, dialogs);

        // A second process of the same project forwards its events to the same page.
        await using var second = await MemfunServerProcess.StartStdioAsync(_workspace.Path);
        await second.CallToolAsync("list_agents");
        await page.Locator("#history li", new PageLocatorOptions { HasText = "list_agents" }).First.WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
        var sources = await page.Locator("#history li .muted").AllTextContentsAsync();
        Assert.True(sources.Select(s => s.Split(" · ").Last()).Distinct().Count() >= 2, "events of both processes should show, each with its own source: " + string.Join(" | ", sources));

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath("dashboard"), FullPage = true });
        await page.SetViewportSizeAsync(380, 800);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath("dashboard-narrow"), FullPage = true });
        Assert.True(await page.Locator("#history").IsVisibleAsync());
    }

    [Fact]
    public async Task Posting_events_without_the_token_or_from_a_foreign_host_is_refused()
    {
        await using var server = await MemfunServerProcess.StartStdioAsync(_workspace.Path);
        var (port, token) = await WaitForLockAsync();
        using var http = new HttpClient();
        var body = new StringContent("""[{"type":"request.started","requestId":"x","tool":"evil"}]""", Encoding.UTF8, "application/json");

        using var noToken = await http.PostAsync($"http://127.0.0.1:{port}/api/events", body);
        using var wrong = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/api/events") { Content = body };
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token + "x");
        using var wrongToken = await http.SendAsync(wrong);
        using var rebinding = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/api/state");
        rebinding.Headers.Host = "attacker.example";
        using var foreignHost = await http.SendAsync(rebinding);
        using var crossOrigin = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/api/state");
        crossOrigin.Headers.Add("Origin", "https://attacker.example");
        using var foreignOrigin = await http.SendAsync(crossOrigin);
        var state = await http.GetStringAsync($"http://127.0.0.1:{port}/api/state");

        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongToken.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreignHost.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreignOrigin.StatusCode);
        Assert.DoesNotContain("evil", state, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forwarding_process_follows_a_new_owner_that_took_the_old_owners_port()
    {
        // One port only, so the new owner takes the old one's port and refuses the old token.
        var port = MemfunServerProcess.FreePort();
        var env = new Dictionary<string, string?> { ["MEMFUN_DASHBOARD__PORT_START"] = $"{port}", ["MEMFUN_DASHBOARD__PORT_END"] = $"{port}" };
        await using var owner = await MemfunServerProcess.StartStdioAsync(_workspace.Path, env);
        var (_, oldToken) = await WaitForLockAsync();
        await using var forwarder = await MemfunServerProcess.StartStdioAsync(_workspace.Path, env);
        using var http = new HttpClient();
        await forwarder.CallToolAsync("list_agents");
        await WaitForStateAsync("list_agents");

        await owner.DisposeAsync();
        await using var newOwner = await MemfunServerProcess.StartStdioAsync(_workspace.Path, env);
        for (var i = 0; i < 300 && (await WaitForLockAsync()).Token == oldToken; i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(port, (await WaitForLockAsync()).Port);
        await forwarder.CallToolAsync("workflow_status", new Dictionary<string, object?> { ["id"] = "after-the-owner-changed" });
        await WaitForStateAsync("after-the-owner-changed");

        async Task WaitForStateAsync(string text)
        {
            for (var i = 0; i < 300; i++)
            {
                try
                {
                    if ((await http.GetStringAsync($"http://127.0.0.1:{port}/api/state")).Contains(text, StringComparison.Ordinal))
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                }

                await Task.Delay(100);
            }

            throw new TimeoutException($"'{text}' never reached the dashboard.");
        }
    }

    [Fact]
    public async Task A_stale_lock_of_a_dead_process_is_taken_over()
    {
        var lockPath = Path.Combine(_workspace.Path, ".memfun", "dashboard.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        // pid 2^22 - 1 is above Linux's default pid_max in containers: no such process.
        await File.WriteAllTextAsync(lockPath, """{"port":1,"pid":4194303,"token":"stale"}""");

        await using var server = await MemfunServerProcess.StartStdioAsync(_workspace.Path);
        var (port, token) = await WaitForLockAsync2();

        Assert.NotEqual("stale", token);
        using var http = new HttpClient();
        Assert.Contains("Memfun", await http.GetStringAsync($"http://127.0.0.1:{port}/"), StringComparison.Ordinal);

        async Task<(int, string)> WaitForLockAsync2()
        {
            for (var i = 0; i < 300; i++)
            {
                var (p, t) = await WaitForLockAsync();
                if (t != "stale")
                {
                    return (p, t);
                }

                await Task.Delay(100);
            }

            throw new TimeoutException("The stale lock was never taken over.");
        }
    }
}
