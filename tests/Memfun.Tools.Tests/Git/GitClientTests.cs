using Memfun.Tools.Tests.Infrastructure;
using Memfun.Tools.Workspace;

namespace Memfun.Tools.Tests.Git;

public sealed class GitClientTests : IDisposable
{
    private readonly WorkspaceFolder _ws = new();

    public void Dispose() => _ws.Dispose();

    private void Repository()
    {
        _ws.RunGit("init", "-q");
        _ws.Write("README.md", "# Demo\n");
        _ws.Write("src/app.py", "print('v1')\n");
        _ws.RunGit("add", "-A");
        _ws.RunGit("commit", "-q", "-m", "First commit");
        _ws.Write("src/app.py", "print('v2')\n");
        _ws.RunGit("commit", "-q", "-am", "Second commit");
    }

    [Fact]
    public async Task Outside_a_repository_every_query_says_to_run_git_init()
    {
        var ex = await Assert.ThrowsAsync<MemfunToolException>(() => _ws.Git.StatusAsync());

        Assert.StartsWith("not a git repository", ex.Message, StringComparison.Ordinal);
        Assert.Contains("git init", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<MemfunToolException>(() => _ws.Git.LogAsync(null, null));
    }

    [Fact]
    public async Task Status_shows_the_branch_and_changed_and_untracked_files()
    {
        Repository();
        _ws.Write("src/app.py", "print('v3')\n");
        _ws.Write("notes.txt", "new\n");

        var status = await _ws.Git.StatusAsync();

        Assert.Contains("## main", status, StringComparison.Ordinal);
        Assert.Contains(" M src/app.py", status, StringComparison.Ordinal);
        Assert.Contains("?? notes.txt", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_shows_unstaged_and_staged_changes_and_can_be_limited_to_a_path()
    {
        Repository();
        _ws.Write("src/app.py", "print('v3')\n");
        _ws.Write("README.md", "# Demo changed\n");
        _ws.RunGit("add", "README.md");

        var unstaged = await _ws.Git.DiffAsync(null, staged: false);
        var staged = await _ws.Git.DiffAsync(null, staged: true);
        var onlyApp = await _ws.Git.DiffAsync("src/app.py", staged: false);
        var onlyReadme = await _ws.Git.DiffAsync("README.md", staged: false);

        Assert.Contains("+print('v3')", unstaged, StringComparison.Ordinal);
        Assert.DoesNotContain("Demo changed", unstaged, StringComparison.Ordinal);
        Assert.Contains("+# Demo changed", staged, StringComparison.Ordinal);
        Assert.Contains("src/app.py", onlyApp, StringComparison.Ordinal);
        Assert.Equal("(no changes)", onlyReadme);
    }

    [Fact]
    public async Task Log_lists_commits_newest_first_and_honours_max_count_and_path()
    {
        Repository();

        var log = await _ws.Git.LogAsync(null, null);
        var one = await _ws.Git.LogAsync(1, null);
        var readme = await _ws.Git.LogAsync(null, "README.md");

        Assert.True(log.IndexOf("Second commit", StringComparison.Ordinal) < log.IndexOf("First commit", StringComparison.Ordinal));
        Assert.Contains("Test", log, StringComparison.Ordinal);
        Assert.DoesNotContain("First commit", one, StringComparison.Ordinal);
        Assert.Contains("First commit", readme, StringComparison.Ordinal);
        Assert.DoesNotContain("Second commit", readme, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_gives_a_commit_with_its_patch_or_a_file_at_a_revision()
    {
        Repository();

        var head = await _ws.Git.ShowAsync("HEAD");
        var old = await _ws.Git.ShowAsync("HEAD~1:src/app.py");

        Assert.Contains("Second commit", head, StringComparison.Ordinal);
        Assert.Contains("-print('v1')", head, StringComparison.Ordinal);
        Assert.Contains("+print('v2')", head, StringComparison.Ordinal);
        Assert.Equal("print('v1')\n", old);
    }

    [Theory]
    [InlineData("--output=/tmp/pwned")]
    [InlineData("-p")]
    public async Task A_revision_that_looks_like_an_option_is_refused(string rev)
    {
        Repository();

        var ex = await Assert.ThrowsAsync<MemfunToolException>(() => _ws.Git.ShowAsync(rev));

        Assert.Contains("starts with '-'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_path_that_looks_like_an_option_or_leaves_the_workspace_is_refused()
    {
        Repository();

        var option = await Assert.ThrowsAsync<MemfunToolException>(() => _ws.Git.DiffAsync("--output=/tmp/x", false));
        Assert.Contains("starts with '-'", option.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<WorkspaceAccessException>(() => _ws.Git.LogAsync(null, "../elsewhere"));
    }

    [Fact]
    public async Task An_unknown_revision_is_a_clear_error()
    {
        Repository();

        var ex = await Assert.ThrowsAsync<MemfunToolException>(() => _ws.Git.ShowAsync("no-such-branch"));

        Assert.Contains("git_show", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no-such-branch", ex.Message, StringComparison.Ordinal);
    }
}
