using System.Globalization;
using Memfun.Tools.Shell;
using Memfun.Tools.Workspace;

namespace Memfun.Tools.Git;

/// <summary>
/// Read-only git queries for the <c>git_*</c> tools, through the <c>git</c> CLI run by
/// <see cref="ProcessRunner"/> in the workspace root.
/// </summary>
/// <remarks>
/// Thread-safe. Revisions and paths are untrusted: anything starting with '-' is refused (option
/// injection), paths go through <see cref="PathGuard"/> and are passed after <c>--</c>. Queries without a
/// path are limited to the workspace folder (<c>-- .</c>) when it sits inside a larger repository.
/// Output is capped at <see cref="MaxOutputChars"/> characters (the start kept). git never prompts and
/// takes no optional locks.
/// </remarks>
internal sealed class GitClient(PathGuard guard, ProcessRunner runner)
{
    public const int MaxOutputChars = 30_000;
    public const int DefaultLogCount = 20;
    public const int MaxLogCount = 500;

    public Task<string> StatusAsync(CancellationToken cancellationToken = default) =>
        RunAsync(["status", "--short", "--branch", "--untracked-files=all", "--", "."], "git_status", cancellationToken);

    public Task<string> DiffAsync(string? path, bool staged, CancellationToken cancellationToken = default)
    {
        List<string> args = ["diff", .. GitSafety.DiffOptions, "--stat", "--patch"];
        if (staged)
        {
            args.Add("--cached");
        }

        args.Add("--");
        args.Add(PathArgument(path));
        return RunAsync(args, "git_diff", cancellationToken);
    }

    public Task<string> LogAsync(int? maxCount, string? path, CancellationToken cancellationToken = default)
    {
        var count = maxCount ?? DefaultLogCount;
        if (count < 1 || count > MaxLogCount)
        {
            throw new MemfunToolException($"max_count must be between 1 and {MaxLogCount}; got {count}.");
        }

        return RunAsync(
            ["log", .. GitSafety.DiffOptions, $"--max-count={count.ToString(CultureInfo.InvariantCulture)}", "--date=iso-strict", "--pretty=format:%h %ad %an%n    %s", "--", PathArgument(path)],
            "git_log",
            cancellationToken);
    }

    public async Task<string> ShowAsync(string rev, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(rev))
        {
            throw new MemfunToolException("rev is empty. Pass a commit (e.g. 'HEAD', 'HEAD~2', a hash) or 'REV:path' for a file at a revision.");
        }

        rev = rev.Trim();
        if (rev.StartsWith('-'))
        {
            throw new MemfunToolException($"rev '{rev}' starts with '-', which git would read as an option; refused. Pass a revision such as 'HEAD~1' or a commit hash.");
        }

        if (rev.Contains('\0', StringComparison.Ordinal) || rev.Contains('\n', StringComparison.Ordinal))
        {
            throw new MemfunToolException("rev contains a control character; pass a plain revision such as 'HEAD~1'.");
        }

        rev = await ConfineRevisionPathAsync(rev, cancellationToken).ConfigureAwait(false);

        // "-- ." keeps a commit's diff to the workspace folder when it sits inside a larger repository.
        return await RunAsync(["show", .. GitSafety.DiffOptions, "--stat", "--patch", "--end-of-options", rev, "--", "."], "git_show", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Rewrites the path of a <c>REV:path</c> (or <c>:N:path</c>) revision so that it names a file inside the
    /// workspace, relative to it (<c>REV:./path</c>); a path that leaves the workspace is refused.
    /// </summary>
    private async Task<string> ConfineRevisionPathAsync(string rev, CancellationToken cancellationToken)
    {
        var colon = PathColon(rev);
        if (colon < 0)
        {
            return rev;
        }

        var head = rev[..(colon + 1)];
        var path = rev[(colon + 1)..];
        if (colon == 0 && path.StartsWith('/'))
        {
            // ":/text" names the newest commit whose message matches: a commit, not a path.
            return rev;
        }

        if (colon == 0 && path.Length > 1 && char.IsAsciiDigit(path[0]) && path[1] == ':')
        {
            head += path[..2];
            path = path[2..];
        }

        if (path.Length == 0)
        {
            return rev;
        }

        if (path.StartsWith('/') || path.Contains('\\', StringComparison.Ordinal))
        {
            throw new WorkspaceAccessException($"rev '{rev}' names the path '{path}', which is absolute; pass a path relative to the workspace root, e.g. 'HEAD:src/app.py'.");
        }

        // git reads "./" and "../" paths from the working folder, others from the repository's top folder.
        string baseFolder;
        if (path.StartsWith("./", StringComparison.Ordinal) || path.StartsWith("../", StringComparison.Ordinal) || path is "." or "..")
        {
            baseFolder = guard.Root;
        }
        else
        {
            var top = await RunAsync(["rev-parse", "--show-toplevel"], "git_show", cancellationToken).ConfigureAwait(false);
            baseFolder = PathGuard.RealPath(Path.TrimEndingDirectorySeparator(Path.GetFullPath(top.Trim())));
        }

        var full = Path.GetFullPath(Path.Combine(baseFolder, path));
        var root = guard.Root;
        if (full != root && !full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new WorkspaceAccessException($"rev '{rev}' names '{path}', which is outside the workspace root '{root}'; git_show shows files inside the workspace only.");
        }

        var relative = Path.GetRelativePath(root, full).Replace(Path.DirectorySeparatorChar, '/');
        return head + (relative == "." ? "./" : "./" + relative);
    }

    /// <summary>The index of the ':' that starts the path of a revision, or -1 (a ':' inside "@{...}" is part of a date).</summary>
    private static int PathColon(string rev)
    {
        var depth = 0;
        for (var i = 0; i < rev.Length; i++)
        {
            switch (rev[i])
            {
                case '{':
                    depth++;
                    break;
                case '}':
                    depth = Math.Max(0, depth - 1);
                    break;
                case ':' when depth == 0:
                    return i;
            }
        }

        return -1;
    }

    private string PathArgument(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return ".";
        }

        if (path.TrimStart().StartsWith('-'))
        {
            throw new MemfunToolException($"path '{path}' starts with '-', which git would read as an option; refused. Pass a path relative to the workspace root.");
        }

        var full = guard.Resolve(path);
        var rel = Path.GetRelativePath(guard.Root, full);
        if (rel.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(rel))
        {
            // In an additional root: git runs in the primary root, so pass the absolute path.
            return full;
        }

        return rel;
    }

    private async Task<string> RunAsync(IReadOnlyList<string> args, string tool, CancellationToken cancellationToken)
    {
        // Filter drivers the repository names would run on status and diff: blank each one first.
        var filters = await GitAsync(GitSafety.FilterQuery, cancellationToken).ConfigureAwait(false);
        var overrides = filters.ExitCode == 0 ? GitSafety.FilterOverrides(filters.Output) : [];
        var result = await GitAsync([.. GitSafety.GlobalOptions, .. overrides, .. args], cancellationToken).ConfigureAwait(false);

        if (result.TimedOut)
        {
            throw new MemfunToolException($"{tool} timed out after 30 s; the repository may be very large or locked. Narrow it with a path.");
        }

        if (result.ExitCode != 0)
        {
            var err = result.StandardError.Trim();
            if (err.Contains("not a git repository", StringComparison.OrdinalIgnoreCase))
            {
                throw new MemfunToolException(
                    $"not a git repository: the workspace '{guard.Root}' is not inside a git repository. Run `git init` (with run_cmd) to create one, or open a workspace that is a repository.");
            }

            if (err.Contains("does not have any commits yet", StringComparison.OrdinalIgnoreCase) ||
                err.Contains("unknown revision", StringComparison.OrdinalIgnoreCase) ||
                err.Contains("bad revision", StringComparison.OrdinalIgnoreCase) ||
                err.Contains("invalid object name", StringComparison.OrdinalIgnoreCase))
            {
                throw new MemfunToolException($"{tool}: {FirstLines(err)} (check the revision with git_log; a new repository has no commits until the first commit).");
            }

            throw new MemfunToolException($"{tool} failed (git exit code {result.ExitCode}): {FirstLines(err)}");
        }

        var text = result.Output;
        if (result.OmittedChars > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"\n… [output truncated: {result.OmittedChars} more characters. Narrow it with a path, or fewer commits.]");
        }

        return text.Length == 0 ? Empty(tool) : text;
    }

    /// <summary>Runs git in the workspace root with the neutral environment, stdout only, capped, at most 30 s.</summary>
    private Task<ProcessRunResult> GitAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        runner.RunAsync(
            new ProcessRunOptions("git")
            {
                Arguments = arguments,
                WorkingDirectory = guard.Root,
                Environment = GitSafety.Environment,
                MergeStandardError = false,
                KeepTail = false,
                MaxOutputChars = MaxOutputChars,
                Timeout = TimeSpan.FromSeconds(30),
            },
            cancellationToken: cancellationToken);

    private static string Empty(string tool) => tool switch
    {
        "git_diff" => "(no changes)",
        "git_log" => "(no commits)",
        _ => "(nothing)",
    };

    private static string FirstLines(string err)
    {
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(" ", lines.Take(3));
    }
}
