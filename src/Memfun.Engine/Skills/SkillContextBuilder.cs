using System.Diagnostics;
using System.Text;
using Memfun.Tools;
using Memfun.Tools.Git;
using Memfun.Tools.Workspace;

namespace Memfun.Engine.Skills;

/// <summary>
/// Gathers the workspace context a skill asks for (its <c>context</c> field) for a run without tools:
/// <c>files</c> (workspace files named in the arguments), <c>tree</c> (the file list), <c>git-diff</c>
/// (uncommitted changes), <c>memory</c> (<c>MEMORY.md</c>). Every path goes through <see cref="PathGuard"/>.
/// </summary>
/// <remarks>Bounded: at most 64 KB per file, 2,000 tree entries, 128 KB of diff and 256 KB in all.</remarks>
internal sealed class SkillContextBuilder(PathGuard guard)
{
    private const int MaxFileChars = 64 * 1024;
    private const int MaxTreeEntries = 2000;
    private const int MaxDiffChars = 128 * 1024;
    private const int MaxTotalChars = 256 * 1024;
    private static readonly HashSet<string> SkippedDirs = new(StringComparer.Ordinal) { ".git", "bin", "obj", "node_modules", ".tools", ".memfun", ".vs", ".idea" };

    public async Task<string> BuildAsync(SkillDefinition skill, string? arguments, CancellationToken cancellationToken)
    {
        var sb = new StringBuilder();
        foreach (var kind in skill.Context)
        {
            switch (kind)
            {
                case "files":
                    AppendFiles(sb, arguments);
                    break;
                case "tree":
                    AppendTree(sb);
                    break;
                case "git-diff":
                    await AppendGitDiffAsync(sb, cancellationToken).ConfigureAwait(false);
                    break;
                case "memory":
                    AppendFile(sb, "MEMORY.md", "Project memory (MEMORY.md)", quiet: true);
                    break;
            }

            if (sb.Length > MaxTotalChars)
            {
                sb.Length = MaxTotalChars;
                sb.Append("\n… (workspace context truncated)\n");
                break;
            }
        }

        return sb.ToString();
    }

    private void AppendFiles(StringBuilder sb, string? arguments)
    {
        foreach (var token in SkillTemplate.Split(arguments ?? string.Empty).Distinct(StringComparer.Ordinal).Take(20))
        {
            var candidate = token.Trim('`', ',', ';');
            if (candidate.Length == 0 || candidate.Contains("://", StringComparison.Ordinal))
            {
                continue;
            }

            string full;
            try
            {
                full = guard.Resolve(candidate);
            }
            catch (MemfunToolException)
            {
                continue;
            }

            if (File.Exists(full))
            {
                AppendFile(sb, candidate, $"File {guard.Display(full)}", quiet: false);
            }
            else if (Directory.Exists(full))
            {
                sb.Append("\n### Folder ").Append(guard.Display(full)).Append('\n');
                AppendTree(sb, full, 300);
            }
        }
    }

    private void AppendFile(StringBuilder sb, string relative, string title, bool quiet)
    {
        string full;
        try
        {
            full = guard.ResolveExistingFile(relative);
        }
        catch (MemfunToolException ex)
        {
            if (!quiet)
            {
                sb.Append("\n### ").Append(title).Append("\n(").Append(ex.Message).Append(")\n");
            }

            return;
        }

        string text;
        try
        {
            // Beneath the workspace in one step, a regular file (a FIFO is refused at once); only the first 64 KB are read.
            using var handle = SafeFile.OpenRead(guard.Roots, full, relative, out _);
            using var stream = new FileStream(handle, FileAccess.Read, 1);
            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            var buffer = new char[MaxFileChars + 1];
            var read = reader.ReadBlock(buffer, 0, buffer.Length);
            text = new string(buffer, 0, Math.Min(read, MaxFileChars)) + (read > MaxFileChars ? "\n… (file truncated at 64 KB)" : string.Empty);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or MemfunToolException)
        {
            sb.Append("\n### ").Append(title).Append("\n(cannot be read: ").Append(ex.Message).Append(")\n");
            return;
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            sb.Append("\n### ").Append(title).Append("\n(binary file, not shown)\n");
            return;
        }

        sb.Append("\n### ").Append(title).Append("\n```\n").Append(text).Append(text.EndsWith('\n') ? string.Empty : "\n").Append("```\n");
    }

    private void AppendTree(StringBuilder sb) => AppendTree(sb.Append("\n### Workspace files\n"), guard.Root, MaxTreeEntries);

    private void AppendTree(StringBuilder sb, string root, int max)
    {
        var count = 0;
        var pending = new Stack<string>();
        pending.Push(root);
        var lines = new List<string>();
        while (pending.Count > 0 && count < max)
        {
            var dir = pending.Pop();
            IEnumerable<FileSystemInfo> entries;
            try
            {
                entries = new DirectoryInfo(dir).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var e in entries)
            {
                if (e.LinkTarget is not null)
                {
                    continue;
                }

                if (e is DirectoryInfo)
                {
                    if (!SkippedDirs.Contains(e.Name))
                    {
                        pending.Push(e.FullName);
                    }
                }
                else if (count++ < max)
                {
                    lines.Add(guard.Display(e.FullName));
                }
            }
        }

        lines.Sort(StringComparer.Ordinal);
        foreach (var l in lines)
        {
            sb.Append(l).Append('\n');
        }

        if (count >= max)
        {
            sb.Append($"… (listing stops at {max} files)\n");
        }
    }

    private async Task AppendGitDiffAsync(StringBuilder sb, CancellationToken cancellationToken)
    {
        sb.Append("\n### Uncommitted changes (git diff HEAD)\n");
        // Filter drivers the repository's config names would run on status and diff: blank each one.
        var (listed, names) = await GitAsync([.. GitSafety.FilterQuery], cancellationToken).ConfigureAwait(false);
        string[] filters = listed ? [.. GitSafety.FilterOverrides(names)] : [];
        var (ok, output) = await GitAsync([.. GitSafety.GlobalOptions, .. filters, "status", "--porcelain"], cancellationToken).ConfigureAwait(false);
        if (!ok)
        {
            sb.Append("(not a git repository, or git is not installed: no diff)\n");
            return;
        }

        sb.Append("```\n").Append(output.Length == 0 ? "(working tree clean)\n" : output).Append("```\n");
        var (diffOk, diff) = await GitAsync([.. GitSafety.GlobalOptions, .. filters, "diff", .. GitSafety.DiffOptions, "HEAD", "--no-color"], cancellationToken).ConfigureAwait(false);
        if (!diffOk)
        {
            (diffOk, diff) = await GitAsync([.. GitSafety.GlobalOptions, .. filters, "diff", .. GitSafety.DiffOptions, "--no-color"], cancellationToken).ConfigureAwait(false);
        }

        if (diffOk && diff.Length > 0)
        {
            sb.Append("```diff\n").Append(diff.Length > MaxDiffChars ? diff[..MaxDiffChars] + "\n… (diff truncated at 128 KB)\n" : diff).Append("```\n");
        }
    }

    private async Task<(bool Ok, string Output)> GitAsync(string[] args, CancellationToken cancellationToken)
    {
        // Confined like every other child of the server (its own PID namespace: git hooks or filters cannot reach the server).
        string[] command = [.. Memfun.Tools.Shell.ChildConfinement.Prefix ?? [], "git", .. args];
        var psi = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = guard.Root,
        };
        foreach (var a in command.Skip(1))
        {
            psi.ArgumentList.Add(a);
        }

        // Secrets never reach child processes: the one list every child of the server is scrubbed with.
        Memfun.Tools.Shell.EnvironmentScrubber.Scrub(psi.Environment);

        psi.Environment["GIT_TERMINAL_PROMPT"] = "0";

        // No system config or attributes, nothing that points git at another repository or program.
        foreach (var (name, value) in GitSafety.Environment)
        {
            if (value is null)
            {
                psi.Environment.Remove(name);
            }
            else
            {
                psi.Environment[name] = value;
            }
        }
        try
        {
            using var process = Process.Start(psi);
            if (process is null)
            {
                return (false, string.Empty);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            var text = await stdout.ConfigureAwait(false);
            await stderr.ConfigureAwait(false);
            return (process.ExitCode == 0, text);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (false, string.Empty);
        }
    }
}
