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
        await using var client = await ModelContextProtocol.Client.McpClient.CreateAsync(new SchemaCheckingTransport(transport));

        Assert.Equal("memfun", client.ServerInfo?.Name);
    }

    [Fact]
    public async Task Packing_makes_a_ReadyToRun_linux_x64_package_and_a_portable_one_unless_turned_off()
    {
        // What `dotnet pack` evaluates (it sets _IsPacking); the full pack takes minutes, so bench/ does that one.
        var packed = await EvaluateAsync("-p:_IsPacking=true", "-p:RuntimeIdentifier=linux-x64");
        var portable = await EvaluateAsync("-p:_IsPacking=true", "-p:MemfunReadyToRunTool=false");
        var built = await EvaluateAsync();

        Assert.Equal("linux-x64;any", packed.GetProperty("ToolPackageRuntimeIdentifiers").GetString());
        Assert.Equal("true", packed.GetProperty("PublishReadyToRun").GetString());
        Assert.Equal("", portable.GetProperty("ToolPackageRuntimeIdentifiers").GetString());
        Assert.Equal("", portable.GetProperty("RuntimeIdentifiers").GetString());
        Assert.Equal("", built.GetProperty("ToolPackageRuntimeIdentifiers").GetString());
        Assert.Equal("", built.GetProperty("RuntimeIdentifiers").GetString());
    }

    private static async Task<System.Text.Json.JsonElement> EvaluateAsync(params string[] properties)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoRoot.Path };
        foreach (var a in (string[])["msbuild", Path.Combine("src", "Memfun.McpServer", "Memfun.McpServer.csproj"), "-nologo",
                     "-getProperty:ToolPackageRuntimeIdentifiers", "-getProperty:RuntimeIdentifiers", "-getProperty:PublishReadyToRun", .. properties])
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        var error = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"dotnet msbuild failed ({p.ExitCode}):\n{output}\n{error}");
        return System.Text.Json.JsonDocument.Parse(output).RootElement.GetProperty("Properties");
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
