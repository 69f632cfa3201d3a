using System.Diagnostics;
using Memfun.McpServer.Tests.Infrastructure;

namespace Memfun.McpServer.Tests.Interop;

/// <summary>
/// The README's install step, done for real once per test run: <c>tools/install-memfun-tool.sh</c>
/// packs the built server as a .NET tool and installs it with <c>--tool-path</c> into a temp folder.
/// </summary>
public sealed class InstalledToolFixture : IAsyncLifetime
{
    private readonly TempWorkspace _toolPath = new("memfun-tool");

    /// <summary>The folder holding the installed <c>memfun</c> command (put it first on PATH).</summary>
    public string ToolDirectory => _toolPath.Path;

    public string Memfun => Path.Combine(ToolDirectory, "memfun");

    public string InstallOutput { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var psi = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoRoot.Path,
        };
        foreach (var a in (string[])["tools/install-memfun-tool.sh", "--tool-path", _toolPath.Path, "--configuration", RepoRoot.Configuration, "--no-build"])
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await p.WaitForExitAsync(timeout.Token);
        InstallOutput = $"exit {p.ExitCode}\n{await stdout}\n{await stderr}";
    }

    /// <summary>The PATH a host would have: the tool folder first.</summary>
    public string PathWithTool() => ToolDirectory + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");

    public Task DisposeAsync()
    {
        _toolPath.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class InstalledToolCollection : ICollectionFixture<InstalledToolFixture>
{
    public const string Name = "installed memfun tool";
}
