using Memfun.Tools.Shell;
using Memfun.Tools.Tests.Infrastructure;
using Memfun.Tools.Workspace;

namespace Memfun.Tools.Tests.Shell;

public sealed class CommandRunnerTests : IDisposable
{
    private readonly WorkspaceFolder _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public async Task A_command_runs_in_the_workspace_or_the_given_folder()
    {
        Directory.CreateDirectory(_ws.Full("sub"));

        var root = await _ws.Commands.RunAsync("pwd", null, null, null, default);
        var sub = await _ws.Commands.RunAsync("pwd && echo hi | tr a-z A-Z", "sub", null, null, default);

        Assert.Equal(_ws.Guard.Root + "\n", root.Output);
        Assert.Equal(".", root.Cwd);
        Assert.Equal(Path.Combine(_ws.Guard.Root, "sub") + "\nHI\n", sub.Output);
        Assert.Equal("sub", sub.Cwd);
    }

    [Fact]
    public async Task A_cwd_outside_the_workspace_is_refused()
    {
        await Assert.ThrowsAsync<WorkspaceAccessException>(() => _ws.Commands.RunAsync("pwd", "..", null, null, default));
        await Assert.ThrowsAsync<WorkspaceAccessException>(() => _ws.Commands.RunAsync("pwd", _ws.Outside, null, null, default));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(601)]
    public async Task A_timeout_out_of_range_is_refused(int seconds)
    {
        var ex = await Assert.ThrowsAsync<MemfunToolException>(() => _ws.Commands.RunAsync("true", null, seconds, null, default));

        Assert.Contains("between 1 and 600", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_command_is_refused()
    {
        await Assert.ThrowsAsync<MemfunToolException>(() => _ws.Commands.RunAsync("  ", null, null, null, default));
    }

    [Fact]
    public async Task A_timed_out_command_says_so_in_its_text()
    {
        var r = await _ws.Commands.RunAsync("echo started; sleep 30", null, 1, null, default);

        Assert.True(r.TimedOut);
        var text = CommandRunner.Describe(r, 1);
        Assert.StartsWith("started\n", text, StringComparison.Ordinal);
        Assert.Contains("timed out after 1 s", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cut_output_is_announced_with_the_number_of_characters_cut()
    {
        var r = await _ws.Commands.RunAsync("seq 1 20000", null, null, null, default);

        var text = CommandRunner.Describe(r, null);
        Assert.Equal(CommandRunner.MaxOutputChars, r.Output.Length);
        Assert.StartsWith($"[… {r.OmittedChars} earlier characters of output cut; showing the last 30000]", text, StringComparison.Ordinal);
        Assert.Contains("20000\n[exit code 0", text, StringComparison.Ordinal);
    }
}
