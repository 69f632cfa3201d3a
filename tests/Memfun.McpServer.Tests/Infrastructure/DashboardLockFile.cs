using System.Text.Json;

namespace Memfun.McpServer.Tests.Infrastructure;

/// <summary>The dashboard's <c>.memfun/dashboard.lock</c> as the tests read it.</summary>
public static class DashboardLockFile
{
    /// <summary>Waits (up to 30 s) until the dashboard of <paramref name="workspace"/> has written its lock, and returns its port and token.</summary>
    public static async Task<(int Port, string Token)> WaitAsync(string workspace)
    {
        var path = Path.Combine(workspace, ".memfun", "dashboard.lock");
        for (var i = 0; i < 300; i++)
        {
            if (File.Exists(path))
            {
                try
                {
                    using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(path));
                    return (doc.RootElement.GetProperty("port").GetInt32(), doc.RootElement.GetProperty("token").GetString()!);
                }
                catch (Exception e) when (e is JsonException or IOException)
                {
                    // Being written: read again shortly.
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The dashboard lock file {path} never appeared.");
    }

    /// <summary>Where a test leaves a screenshot (<c>screenshots/</c> next to the test assembly).</summary>
    public static string ScreenshotPath(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name + ".png");
    }
}
