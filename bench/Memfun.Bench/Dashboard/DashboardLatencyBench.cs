using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Memfun.McpServer.Dashboard;
using Microsoft.Playwright;

namespace Memfun.Bench.Dashboard;

/// <summary>
/// Event-to-screen latency of the live dashboard: events stamped with their send time are posted through the
/// token-guarded endpoint at a steady rate (default 1,000/s, in 10 ms batches of 10), and headless Chromium
/// (Debian's, via Playwright) records with a MutationObserver when each one's line first appears on the page.
/// The reference, measured in the same run on the same events: when each event reaches a plain HTTP client
/// reading the same SSE stream (the transport alone, no browser).
/// </summary>
/// <remarks>Both clocks are this machine's wall clock (Unix ms): the page uses performance.timeOrigin + performance.now().</remarks>
internal static class DashboardLatencyBench
{
    private const string Chromium = "/usr/lib/chromium/chromium";

    public static async Task<int> RunAsync(string[] args)
    {
        var rate = args.Length > 0 && int.TryParse(args[0], out var r) ? r : 1000;
        var seconds = args.Length > 1 && int.TryParse(args[1], out var s) ? s : 5;
        var hub = new DashboardHub();
        var port = 18_000 + Random.Shared.Next(1000);
        var token = "bench-" + Guid.NewGuid().ToString("N");
        await using var server = new DashboardServer(hub, port, token);
        await server.StartAsync(CancellationToken.None);
        var url = $"http://127.0.0.1:{port}/";

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 800 } });
        await page.GotoAsync(url);
        await page.Locator("#conn").Filter(new LocatorFilterOptions { HasText = "live" }).WaitForAsync();
        await page.EvaluateAsync("""
            () => {
              window.__seen = {};
              const re = /bench-(\d+)-([\d.]+)/;
              new MutationObserver(list => {
                const now = performance.timeOrigin + performance.now();
                for (const m of list) for (const n of m.addedNodes) {
                  const x = re.exec(n.textContent || '');
                  if (x && !(x[1] in window.__seen)) window.__seen[x[1]] = now - parseFloat(x[2]);
                }
              }).observe(document.getElementById('events'), { childList: true });
            }
            """);

        // Reference: a plain SSE reader on the same stream.
        using var sseHttp = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var sseSeen = new Dictionary<int, double>();
        using var stop = new CancellationTokenSource();
        var sse = Task.Run(async () =>
        {
            using var stream = await sseHttp.GetStreamAsync(url + "api/events", stop.Token);
            using var reader = new StreamReader(stream);
            while (!stop.IsCancellationRequested && await reader.ReadLineAsync(stop.Token) is { } line)
            {
                var i = line.IndexOf("bench-", StringComparison.Ordinal);
                if (i < 0)
                {
                    continue;
                }

                var now = NowMs();
                var parts = line[(i + 6)..].Split('-', 2);
                var end = parts[1].IndexOfAny(['"', ' ']);
                var seq = int.Parse(parts[0], CultureInfo.InvariantCulture);
                sseSeen.TryAdd(seq, now - double.Parse(end < 0 ? parts[1] : parts[1][..end], CultureInfo.InvariantCulture));
            }
        });
        await Task.Delay(500);

        using var http = new HttpClient();
        var total = rate * seconds;
        const int batch = 10;
        var interval = TimeSpan.FromSeconds(batch / (double)rate);
        var clock = Stopwatch.StartNew();
        var sent = 0;
        while (sent < total)
        {
            var due = interval * (sent / batch);
            if (clock.Elapsed < due)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            var events = new List<object>(batch);
            for (var k = 0; k < batch && sent < total; k++, sent++)
            {
                events.Add(new { type = "bench.tick", summary = string.Create(CultureInfo.InvariantCulture, $"bench-{sent}-{NowMs():F3}") });
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, url + "api/events") { Content = new StringContent(JsonSerializer.Serialize(events), Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }

        var achieved = total / clock.Elapsed.TotalSeconds;
        await Task.Delay(1500);
        await stop.CancelAsync();
        try
        {
            await sse;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
        }

        var page_ = await page.EvaluateAsync<Dictionary<string, double>>("() => window.__seen");
        var screen = page_.Values.Order().ToArray();
        double[] transport = [.. sseSeen.Values.Order()];

        Console.WriteLine($"Dashboard event-to-screen latency: {total} events at {rate}/s target ({achieved:F0}/s achieved), batches of {batch}, {Environment.ProcessorCount} cores");
        Console.WriteLine($"{"measure",-34} {"seen",7} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8}");
        Row("page (Chromium, MutationObserver)", screen, total);
        Row("reference: SSE stream, no browser", transport, total);
        return 0;
    }

    private static void Row(string name, double[] sorted, int total) =>
        Console.WriteLine(sorted.Length == 0
            ? $"{name,-34} {0,7} (nothing seen)"
            : string.Create(CultureInfo.InvariantCulture, $"{name,-34} {sorted.Length,7} {P(sorted, 0.50),8:F1} {P(sorted, 0.95),8:F1} {P(sorted, 0.99),8:F1} {sorted[^1],8:F1}") +
              (sorted.Length < total ? $"  ({total - sorted.Length} never drawn: the page shows the last 100 lines per frame)" : string.Empty));

    private static double P(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    private static double NowMs() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
}
