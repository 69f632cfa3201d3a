using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Memfun.McpServer.Tests.Infrastructure;
using Microsoft.Playwright;
using ModelContextProtocol.Client;

namespace Memfun.McpServer.Tests.Dashboard;

/// <summary>
/// What the dashboard shows, in Debian's headless Chromium: memory entries after <c>remember</c>, and a workflow's
/// tasks (with their dependencies, iterations and tokens) progressing live as a second process posts them.
/// </summary>
public sealed class DashboardContentTests(HeadlessChromium chromium) : IClassFixture<HeadlessChromium>, IDisposable
{
    private readonly TempWorkspace _workspace = new("memfun-dash-content");
    private readonly IBrowser _browser = chromium.Browser;

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Memory_entries_appear_after_remember_and_a_workflows_tasks_progress_live()
    {
        await using var server = await MemfunServerProcess.StartStdioAsync(_workspace.Path);
        var (port, token) = await WaitForLockAsync();
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 900 } });
        await page.GotoAsync($"http://127.0.0.1:{port}/");
        await page.Locator("#conn").Filter(new LocatorFilterOptions { HasText = "live" }).WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });

        // remember through MCP: the entry shows in the memory panel, as text.
        const string fact = "The build uses <b>dotnet</b> 10 and tests run with ./test.sh";
        await server.CallToolAsync("remember", new Dictionary<string, object?> { ["text"] = fact });
        await page.Locator("#memory li", new PageLocatorOptions { HasText = fact }).First.WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
        Assert.Equal(0, await page.Locator("#memory b").CountAsync());

        // A second process (this test) posts a workflow's task events through the token-guarded endpoint.
        using var http = new HttpClient();
        async Task PostAsync(string type, string? task, string? agent, string? detail) =>
            await PostEventsAsync(http, port, token, new { type, workflowId = "wf-demo", taskId = task, agent, detail, source = "worker:42" });

        await PostAsync("workflow.started", null, null, "add a health check");
        await PostAsync("task.published", "plan", "planner", null);
        await PostAsync("task.picked_up", "plan", "planner", null);
        var plan = page.Locator("#workflows li.task[data-task='plan']");
        await Assertions.Expect(plan).ToHaveAttributeAsync("data-state", "running");

        await PostAsync("task.completed", "plan", "planner", "3 iterations, 1200 tokens");
        await PostAsync("task.published", "code", "coder", "after plan");
        var code = page.Locator("#workflows li.task[data-task='code']");
        await Assertions.Expect(plan).ToHaveAttributeAsync("data-state", "completed");
        await Assertions.Expect(plan).ToContainTextAsync("3 iterations, 1200 tokens");
        await Assertions.Expect(code).ToHaveAttributeAsync("data-state", "queued");
        await Assertions.Expect(code).ToContainTextAsync("← plan");

        await PostAsync("task.picked_up", "code", "coder", null);
        await Assertions.Expect(code).ToHaveAttributeAsync("data-state", "running");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath("dashboard-workflow"), FullPage = true });
        await PostAsync("task.completed", "code", "coder", "5 iterations, 4100 tokens");
        await PostAsync("workflow.completed", null, null, "completed");
        await Assertions.Expect(code).ToHaveAttributeAsync("data-state", "completed");
        await Assertions.Expect(page.Locator("#workflows > li[data-workflow='wf-demo'] > .status")).ToHaveTextAsync("completed");

        // The dependent task is drawn under the one it waits for.
        var planIndent = await plan.EvaluateAsync<string>("e => e.style.paddingLeft");
        var codeIndent = await code.EvaluateAsync<string>("e => e.style.paddingLeft");
        Assert.NotEqual(planIndent, codeIndent);
    }

    [Fact]
    public async Task Dependencies_show_once_progress_names_its_request_and_unknown_tokens_are_not_shown_as_zero()
    {
        await using var server = await MemfunServerProcess.StartStdioAsync(_workspace.Path);
        var (port, token) = await WaitForLockAsync();
        using var http = new HttpClient();

        // Posted before the page loads (the server's snapshot) and after (the page's live updates).
        async Task PostRoundAsync(string round)
        {
            await PostEventsAsync(http, port, token,
                new { type = "request.started", requestId = "r-" + round, tool = "solve-" + round, source = "worker:7" },
                new { type = "request.progress", requestId = "r-" + round, detail = "reading files " + round },
                new { type = "request.completed", requestId = "r-" + round, tool = "solve-" + round, outcome = "answered", tokens = 0 },
                new { type = "task.published", workflowId = "wf-" + round, taskId = "plan", agent = "planner" },
                new { type = "task.published", workflowId = "wf-" + round, taskId = "code", agent = "coder", detail = "after plan" });
        }

        await PostRoundAsync("before");
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 900 } });
        await page.GotoAsync($"http://127.0.0.1:{port}/");
        await page.Locator("#conn").Filter(new LocatorFilterOptions { HasText = "live" }).WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        await PostRoundAsync("after");

        foreach (var round in new[] { "before", "after" })
        {
            var code = page.Locator($"#workflows > li[data-workflow='wf-{round}'] li.task[data-task='code']");
            await Assertions.Expect(code).ToContainTextAsync("← plan");
            Assert.DoesNotContain("after plan", await code.TextContentAsync(), StringComparison.Ordinal);

            var progress = page.Locator("#events li", new PageLocatorOptions { HasText = "reading files " + round });
            await Assertions.Expect(progress).ToContainTextAsync("solve-" + round);

            var done = page.Locator("#history li", new PageLocatorOptions { HasText = "solve-" + round });
            await Assertions.Expect(done).ToContainTextAsync("answered");
            Assert.DoesNotContain("tokens", await done.TextContentAsync(), StringComparison.Ordinal);
        }
    }

    private static async Task PostEventsAsync(HttpClient http, int port, string token, params object[] events)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/api/events")
        {
            Content = new StringContent(JsonSerializer.Serialize(events), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    private static string ScreenshotPath(string name) => DashboardLockFile.ScreenshotPath(name);

    private Task<(int Port, string Token)> WaitForLockAsync() => DashboardLockFile.WaitAsync(_workspace.Path);
}
