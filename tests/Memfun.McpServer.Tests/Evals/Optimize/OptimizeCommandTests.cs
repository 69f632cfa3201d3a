using Memfun.McpServer.Tests.Infrastructure;

namespace Memfun.McpServer.Tests.Evals.Optimize;

/// <summary><c>memfun optimize</c> as the real executable: usage errors exit 2 with a message saying what to fix, before any model is needed.</summary>
public sealed class OptimizeCommandTests
{
    private static Task<(int Exit, string Stdout, string Stderr)> RunAsync(string workspace, params string[] args) =>
        MemfunServerProcess.RunCommandAsync(workspace, new Dictionary<string, string?>(), null, args);

    [Fact]
    public async Task Usage_errors_exit_2_and_say_what_to_fix()
    {
        using var ws = new TempWorkspace("memfun-optimize-cli");
        var suite = Path.Combine(RepoRoot.Path, "evals", "bundled");

        var noSuite = await RunAsync(ws.Path, "optimize", "coder", "-w", ws.Path);
        var noCandidates = await RunAsync(ws.Path, "optimize", "coder", "--suite", suite, "--candidates", "0", "-w", ws.Path);
        var unknownAgent = await RunAsync(ws.Path, "optimize", "no-such-agent", "--suite", suite, "-w", ws.Path);
        var unknownTask = await RunAsync(ws.Path, "optimize", "coder", "--suite", suite, "--tasks", "py-ttl-cache,no-such-task", "-w", ws.Path);
        var missingSuite = await RunAsync(ws.Path, "optimize", "coder", "--suite", ws.Full("nowhere"), "-w", ws.Path);

        Assert.True(noSuite.Exit == 2, noSuite.Stderr);
        Assert.Contains("--suite", noSuite.Stderr, StringComparison.Ordinal);
        Assert.True(noCandidates.Exit == 2, noCandidates.Stderr);
        Assert.Contains("--candidates must be 1 to 10", noCandidates.Stderr, StringComparison.Ordinal);
        Assert.True(unknownAgent.Exit == 2, unknownAgent.Stderr);
        Assert.Contains("no agent named 'no-such-agent'", unknownAgent.Stderr, StringComparison.Ordinal);
        Assert.Contains("coder", unknownAgent.Stderr, StringComparison.Ordinal);
        Assert.True(unknownTask.Exit == 2, unknownTask.Stderr);
        Assert.Contains("no-such-task", unknownTask.Stderr, StringComparison.Ordinal);
        Assert.True(missingSuite.Exit == 2, missingSuite.Stderr);
        Assert.False(Directory.Exists(ws.Full(".memfun/agents")), "nothing is written");
    }
}
