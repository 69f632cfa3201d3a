using Memfun.McpServer.Tests.Infrastructure;
using ModelContextProtocol.Client;

namespace Memfun.McpServer.Tests;

public sealed class ServeCommandTests
{
    [Fact]
    public async Task Stdio_server_initializes_and_names_itself()
    {
        using var ws = new TempWorkspace();
        await using var client = await MemfunServerProcess.StartStdioAsync(ws.Path);

        Assert.Equal("memfun", client.ServerInfo?.Name);
    }

    [Fact]
    public async Task Http_server_initializes_over_streamable_http()
    {
        using var ws = new TempWorkspace();
        await using var server = await MemfunServerProcess.StartHttpAsync(ws.Path);
        await using var client = await server.ConnectAsync();

        Assert.Equal("memfun", client.ServerInfo?.Name);
    }

    [Fact]
    public async Task Http_server_refuses_a_non_loopback_bind_without_a_token()
    {
        using var ws = new TempWorkspace();
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet", [MemfunServerProcess.ServerDll, "serve", "--http", "--urls", "http://0.0.0.0:0", "--workspace", ws.Path])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stderr = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();

        Assert.Equal(2, p.ExitCode);
        Assert.Contains("without a bearer token", stderr, StringComparison.Ordinal);
    }
}
