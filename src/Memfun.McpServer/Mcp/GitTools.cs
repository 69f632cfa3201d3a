using System.ComponentModel;
using Memfun.Tools.Git;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Mcp;

/// <summary>The read-only git tools: git_status, git_diff, git_log, git_show.</summary>
[McpServerToolType]
[Toolset(Hosting.Toolsets.Git)]
internal sealed class GitTools(GitClient git)
{
    [McpServerTool(Name = "git_status", Title = "Git status", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false)]
    [Description("Shows the branch and the changed, staged and untracked files (git status --short --branch): per file, the " +
        "staged then the unstaged column (M modified, A added, D deleted, R renamed, ?? untracked).")]
    public Task<string> GitStatus(CancellationToken cancellationToken = default) => git.StatusAsync(cancellationToken);

    [McpServerTool(Name = "git_diff", Title = "Git diff", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false)]
    [Description("Shows uncommitted changes as a unified diff with a summary of files: the working tree against the index, or " +
        "the index against HEAD with staged=true. Capped at 30,000 characters.")]
    public Task<string> GitDiff(
        [Description("Optional file or folder, relative to the workspace root.")] string? path = null,
        [Description("Staged changes (git diff --cached). Default false.")] bool? staged = null,
        CancellationToken cancellationToken = default) => git.DiffAsync(path, staged ?? false, cancellationToken);

    [McpServerTool(Name = "git_log", Title = "Git log", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false)]
    [Description("Lists recent commits, newest first: short hash, date, author and subject. Optionally only commits touching a path.")]
    public Task<string> GitLog(
        [Description("Default 20, at most 500.")] int? max_count = null,
        [Description("Only commits touching this file or folder.")] string? path = null,
        CancellationToken cancellationToken = default) => git.LogAsync(max_count, path, cancellationToken);

    [McpServerTool(Name = "git_show", Title = "Git show", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false)]
    [Description("Shows one commit (message, files, patch), or a file at a revision with 'REV:path'. Capped at 30,000 characters.")]
    public Task<string> GitShow(
        [Description("'HEAD', 'HEAD~2', a hash, branch or tag, or 'REV:path'. Not starting with '-'.")] string rev,
        CancellationToken cancellationToken = default) => git.ShowAsync(rev, cancellationToken);
}
