using System.ComponentModel;
using Memfun.Tools.Git;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Mcp;

/// <summary>The read-only git tools: git_status, git_diff, git_log, git_show.</summary>
[McpServerToolType]
internal sealed class GitTools(GitClient git)
{
    [McpServerTool(Name = "git_status", Title = "Git status", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false)]
    [Description("Shows the branch and the changed, staged and untracked files of the workspace's git repository (git status --short --branch). " +
                 "Two status columns per file: staged, then unstaged (M modified, A added, D deleted, R renamed, ?? untracked).")]
    public Task<string> GitStatus(CancellationToken cancellationToken = default) => git.StatusAsync(cancellationToken);

    [McpServerTool(Name = "git_diff", Title = "Git diff", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false)]
    [Description("Shows uncommitted changes as a unified diff with a summary of changed files: the working tree against the index, " +
                 "or with staged=true the index against HEAD. Optionally limited to one file or folder. Output capped at 30,000 characters.")]
    public Task<string> GitDiff(
        [Description("A file or folder relative to the workspace root to limit the diff to. Default: the whole workspace.")] string? path = null,
        [Description("Show staged changes (git diff --cached) instead of unstaged ones. Default false.")] bool? staged = null,
        CancellationToken cancellationToken = default) => git.DiffAsync(path, staged ?? false, cancellationToken);

    [McpServerTool(Name = "git_log", Title = "Git log", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false)]
    [Description("Lists recent commits, newest first: short hash, date, author and subject. Optionally only commits touching a path.")]
    public Task<string> GitLog(
        [Description("How many commits to list. Default 20, at most 500.")] int? max_count = null,
        [Description("Only commits that touch this file or folder (relative to the workspace root).")] string? path = null,
        CancellationToken cancellationToken = default) => git.LogAsync(max_count, path, cancellationToken);

    [McpServerTool(Name = "git_show", Title = "Git show", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false)]
    [Description("Shows one commit (message, changed files and patch), or a file at a revision with 'REV:path'. Output capped at 30,000 characters.")]
    public Task<string> GitShow(
        [Description("A revision: 'HEAD', 'HEAD~2', a (short) hash, a branch or tag, or 'REV:path/to/file'. Must not start with '-'.")] string rev,
        CancellationToken cancellationToken = default) => git.ShowAsync(rev, cancellationToken);
}
