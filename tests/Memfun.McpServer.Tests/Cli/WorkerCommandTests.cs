using System.Diagnostics;
using Memfun.McpServer.Tests.Infrastructure;

namespace Memfun.McpServer.Tests.Cli;

/// <summary><c>memfun worker</c> argument and connection errors.</summary>
public sealed class WorkerCommandTests
{
    [Theory]
    [InlineData("redis", "redis://127.0.0.1:{0}", "127.0.0.1:{0}")]
    [InlineData("nats", "nats://127.0.0.1:{0}", "nats://127.0.0.1:{0}")]
    public async Task An_unreachable_server_gives_one_clear_error_naming_the_address(string backend, string urlFormat, string named)
    {
        using var ws = new TempWorkspace();
        var port = MemfunServerProcess.FreePort();
        var (code, stderr) = await RunAsync(ws.Path, "worker", "--backend", backend, "--url", string.Format(System.Globalization.CultureInfo.InvariantCulture, urlFormat, port));
        Assert.Equal(3, code);
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, named, port), stderr, StringComparison.Ordinal);
        Assert.StartsWith("memfun: Cannot reach", stderr.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_kind_or_tier_is_refused_with_the_choices()
    {
        using var ws = new TempWorkspace();
        var (code, stderr) = await RunAsync(ws.Path, "worker", "--backend", "sqlite", "--kinds", "echo,teleport");
        Assert.Equal(2, code);
        Assert.Contains("'teleport'", stderr, StringComparison.Ordinal);
        Assert.Contains("echo", stderr, StringComparison.Ordinal);
        (code, stderr) = await RunAsync(ws.Path, "worker", "--backend", "postgres");
        Assert.Equal(2, code);
        Assert.Contains("in-process, sqlite, redis, nats", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Stderr)> RunAsync(string workspace, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = workspace };
        psi.ArgumentList.Add(MemfunServerProcess.ServerDll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.ArgumentList.Add("--workspace");
        psi.ArgumentList.Add(workspace);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        _ = p.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stderr);
    }
}
