using System.Diagnostics;
using Memfun.McpServer.Tests.Infrastructure;

namespace Memfun.McpServer.Tests.Interop;

/// <summary>The packed .NET tool installs and runs as a plain <c>memfun</c> command.</summary>
[Collection(InstalledToolCollection.Name)]
public sealed class ToolPackageTests(InstalledToolFixture tool)
{
    [Fact]
    public async Task The_installed_tool_prints_its_version_and_help()
    {
        Assert.True(File.Exists(tool.Memfun), $"The install step did not produce {tool.Memfun}.\n{tool.InstallOutput}");

        var version = await RunAsync("--version");
        var help = await RunAsync("serve", "--help");

        Assert.Equal(0, version.ExitCode);
        Assert.StartsWith("0.", version.Output, StringComparison.Ordinal);
        Assert.Contains("--stdio", help.Output, StringComparison.Ordinal);
        Assert.Contains("--http", help.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("--conformance-fixtures", help.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_installed_tool_serves_stdio_to_the_sdk_client()
    {
        using var ws = new TempWorkspace();
        var transport = new ModelContextProtocol.Client.StdioClientTransport(new()
        {
            Command = tool.Memfun,
            Arguments = ["serve", "--stdio"],
            WorkingDirectory = ws.Path,
        });
        await using var client = await ModelContextProtocol.Client.McpClient.CreateAsync(transport);

        Assert.Equal("memfun", client.ServerInfo?.Name);
    }

    private async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo(tool.Memfun, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, output.Trim());
    }
}
