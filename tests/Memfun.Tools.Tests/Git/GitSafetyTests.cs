using Memfun.Tools.Tests.Infrastructure;
using Memfun.Tools.Workspace;

namespace Memfun.Tools.Tests.Git;

/// <summary>
/// A repository whose <c>.git/config</c> names its own commands (fsmonitor, textconv, a clean filter, an
/// external diff, a hook) gets none of them run by the read-only git tools; <c>git_show</c> stays in the
/// workspace; the write tools refuse git's and memfun's own configuration.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class GitSafetyTests : IDisposable
{
    private readonly WorkspaceFolder _ws = new();
    private readonly string _marker;

    public GitSafetyTests()
    {
        _marker = Path.Combine(_ws.Outside, "ran");
    }

    public void Dispose() => _ws.Dispose();

    private void HostileRepository()
    {
        _ws.RunGit("init", "-q");
        _ws.Write("notes.txt", "v1\n");
        _ws.Write("sub/inner.txt", "inner\n");
        _ws.RunGit("add", "-A");
        _ws.RunGit("commit", "-q", "-m", "First");
        var touch = $"touch {_marker}";
        _ws.RunGit("config", "core.fsmonitor", $"{touch}-fsmonitor; true");
        _ws.RunGit("config", "diff.evil.textconv", $"{touch}-textconv; cat");
        _ws.RunGit("config", "diff.evil.command", $"{touch}-extdiff; true");
        _ws.RunGit("config", "diff.external", $"{touch}-external; true");
        _ws.RunGit("config", "filter.evil.clean", $"{touch}-clean; cat");
        _ws.RunGit("config", "filter.evil.smudge", $"{touch}-smudge; cat");
        _ws.RunGit("config", "core.pager", $"{touch}-pager; cat");
        _ws.RunGit("config", "log.showSignature", "true");
        _ws.RunGit("config", "gpg.program", $"{_marker}-gpg");
        _ws.Write(".gitattributes", "* diff=evil filter=evil\n");
        _ws.Write(".git/hooks/post-index-change", $"#!/bin/sh\n{touch}-hook\n");
        File.SetUnixFileMode(_ws.Full(".git/hooks/post-index-change"), (UnixFileMode)0x1ED);
        _ws.Write("notes.txt", "v2\n");
        File.SetLastWriteTimeUtc(_ws.Full("notes.txt"), DateTime.UtcNow.AddMinutes(5));
    }

    private string[] Markers() => Directory.GetFiles(_ws.Outside, "ran*");

    [Fact]
    public async Task Status_diff_log_and_show_run_no_command_the_repository_names()
    {
        HostileRepository();

        var status = await _ws.Git.StatusAsync();
        var diff = await _ws.Git.DiffAsync(null, staged: false);
        var log = await _ws.Git.LogAsync(null, null);
        var show = await _ws.Git.ShowAsync("HEAD");
        var blob = await _ws.Git.ShowAsync("HEAD:notes.txt");

        Assert.Contains("notes.txt", status, StringComparison.Ordinal);
        Assert.Contains("+v2", diff, StringComparison.Ordinal);
        Assert.Contains("First", log, StringComparison.Ordinal);
        Assert.Contains("First", show, StringComparison.Ordinal);
        Assert.Equal("v1\n", blob);
        Assert.Empty(Markers());
    }

    [Theory]
    [InlineData("HEAD:../outside.txt")]
    [InlineData("HEAD:./../../etc/passwd")]
    [InlineData("HEAD:/etc/passwd")]
    [InlineData(":0:../x")]
    public async Task Show_refuses_a_path_that_leaves_the_workspace(string rev)
    {
        HostileRepository();

        await Assert.ThrowsAsync<WorkspaceAccessException>(() => _ws.Git.ShowAsync(rev));
    }

    [Fact]
    public async Task Show_of_a_repository_path_outside_a_workspace_subfolder_is_refused()
    {
        HostileRepository();
        var git = new Memfun.Tools.Git.GitClient(new PathGuard(_ws.Full("sub")), _ws.Runner);

        var inside = await git.ShowAsync("HEAD:sub/inner.txt");
        var relative = await git.ShowAsync("HEAD:./inner.txt");

        Assert.Equal("inner\n", inside);
        Assert.Equal("inner\n", relative);
        await Assert.ThrowsAsync<WorkspaceAccessException>(() => git.ShowAsync("HEAD:notes.txt"));
    }

    [Theory]
    [InlineData(".git/config")]
    [InlineData(".git/hooks/pre-commit")]
    [InlineData("sub/.git/config")]
    [InlineData(".memfun/agents/x/AGENT.md")]
    [InlineData("memfun.toml")]
    [InlineData("MEMFUN.TOML")]
    public void The_write_tools_refuse_git_and_memfun_configuration(string path)
    {
        _ws.RunGit("init", "-q");
        var before = File.ReadAllText(_ws.Full(".git/config"));

        var write = Assert.Throws<WorkspaceAccessException>(() => _ws.Writer.Write(path, "[core]\n\tfsmonitor = evil\n", allowShrink: true));
        Assert.Contains(".git/, .memfun/ and memfun.toml", write.Message, StringComparison.Ordinal);
        Assert.Throws<WorkspaceAccessException>(() => _ws.Editor.Edit(path, "[core]", "[core]\n\tfsmonitor = evil", false, false));

        Assert.Equal(before, File.ReadAllText(_ws.Full(".git/config")));
        Assert.False(File.Exists(_ws.Full(".git/hooks/pre-commit")));
        Assert.False(File.Exists(_ws.Full("memfun.toml")));
    }

    [Fact]
    public void A_link_to_the_git_folder_is_refused_too()
    {
        _ws.RunGit("init", "-q");
        Directory.CreateSymbolicLink(_ws.Full("innocent"), _ws.Full(".git"));

        Assert.Throws<WorkspaceAccessException>(() => _ws.Writer.Write("innocent/config", "x\n", allowShrink: true));
        Assert.Contains("[core]", File.ReadAllText(_ws.Full(".git/config")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_nested_memfun_toml_is_an_ordinary_file()
    {
        _ws.Writer.Write("tests/fixtures/memfun.toml", "[llm]\n", allowShrink: false);

        Assert.Equal("[llm]\n", _ws.Read("tests/fixtures/memfun.toml"));
    }
}
