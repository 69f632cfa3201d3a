using System.Text.RegularExpressions;
using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Runtime.Local;

namespace Memfun.McpServer.Evals;

/// <summary>
/// A task's fresh workspace: a temp folder holding a copy of the task's source at its start (a <c>git clone --shared</c>
/// at the base commit, or a copied folder <c>git init</c>ed), the test patch applied and committed as the baseline the
/// agent's diff is taken against. Disposing deletes the folder.
/// </summary>
/// <remarks>
/// Every command (git, the suite's setup) runs through the local process sandbox: scrubbed environment, a time limit,
/// the whole process group killed at the end. The test files of the test patch are remembered so they can be put back
/// over the agent's changes before the tests run.
/// </remarks>
internal sealed partial class EvalWorkspace : IDisposable
{
    private static readonly TimeSpan GitTimeout = TimeSpan.FromMinutes(5);

    private readonly string _root;
    private readonly Dictionary<string, byte[]?> _testFiles = new(StringComparer.Ordinal);
    private string _baseline = "HEAD";

    private EvalWorkspace(string root)
    {
        _root = root;
        Path = System.IO.Path.Combine(root, "ws");
    }

    /// <summary>The workspace folder the agent works in (absolute).</summary>
    public string Path { get; }

    /// <summary>Keep the folder on dispose (for debugging a task).</summary>
    public bool Keep { get; set; }

    /// <summary>Makes the workspace of <paramref name="task"/>: copy or clone, test patch, setup command, baseline commit.</summary>
    /// <exception cref="EvalSuiteException">The source cannot be copied, the base commit is missing, the test patch does not apply or the setup fails.</exception>
    public static async Task<EvalWorkspace> CreateAsync(EvalTask task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        var root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "memfun-eval-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var ws = new EvalWorkspace(root);
        try
        {
            await ws.PrepareAsync(task, cancellationToken).ConfigureAwait(false);
            return ws;
        }
        catch
        {
            ws.Dispose();
            throw;
        }
    }

    private async Task PrepareAsync(EvalTask task, CancellationToken cancellationToken)
    {
        if (task.Format == EvalTaskFormat.SweBench)
        {
            await GitAsync(_root, ["clone", "-q", "--shared", "--no-checkout", task.Source, Path], "clone the repository", cancellationToken).ConfigureAwait(false);
            await GitAsync(Path, ["checkout", "-q", "--detach", task.BaseCommit!], $"check out base_commit {task.BaseCommit}", cancellationToken).ConfigureAwait(false);
        }
        else
        {
            CopyFolder(task.Source, Path);
            await GitAsync(Path, ["init", "-q"], "initialise git", cancellationToken).ConfigureAwait(false);
            await CommitAsync("eval: task source", cancellationToken).ConfigureAwait(false);
        }

        if (!string.IsNullOrWhiteSpace(task.TestPatch))
        {
            var patch = System.IO.Path.Combine(_root, "test.patch");
            await File.WriteAllTextAsync(patch, Normalised(task.TestPatch), cancellationToken).ConfigureAwait(false);
            await GitAsync(Path, ["apply", "--whitespace=nowarn", patch], "apply the test patch", cancellationToken).ConfigureAwait(false);
            foreach (var file in PatchedFiles(task.TestPatch))
            {
                var full = System.IO.Path.Combine(Path, file);
                _testFiles[file] = File.Exists(full) ? await File.ReadAllBytesAsync(full, cancellationToken).ConfigureAwait(false) : null;
            }

            // As in SWE-bench, the agent works without the new tests: they are taken out again here and put in only to
            // score the agent's change (RestoreTestFilesAsync), so the score says whether it fixed the issue as stated.
            await GitAsync(Path, ["apply", "-R", "--whitespace=nowarn", patch], "take the test patch out again", cancellationToken).ConfigureAwait(false);
        }

        if (!string.IsNullOrWhiteSpace(task.SetupCommand))
        {
            var setup = await RunAsync(task.SetupCommand, TimeSpan.FromSeconds(task.TimeoutSeconds), cancellationToken).ConfigureAwait(false);
            if (setup.ExitCode != 0 || setup.TimedOut)
            {
                throw new EvalSuiteException($"The setup command of task {task.Id} failed ({(setup.TimedOut ? $"killed after {task.TimeoutSeconds} s" : $"exit {setup.ExitCode}")}): {Tail(setup.StandardOutput + setup.StandardError)}");
            }
        }

        await CommitAsync("eval: baseline", cancellationToken).ConfigureAwait(false);
        _baseline = (await GitAsync(Path, ["rev-parse", "HEAD"], "read the baseline commit", cancellationToken).ConfigureAwait(false)).Trim();
    }

    /// <summary>The agent's change: every file added, changed or deleted since the baseline (binary-safe), without memfun's own <c>.memfun/</c>.</summary>
    public async Task<string> DiffAsync(CancellationToken cancellationToken = default)
    {
        await GitAsync(Path, ["add", "-A", "--", ".", ":(exclude).memfun"], "stage the agent's changes", cancellationToken).ConfigureAwait(false);
        return await GitAsync(Path, ["diff", "--cached", "--binary", _baseline, "--", ".", ":(exclude).memfun"], "diff the agent's changes", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Puts the test patch's files in as the patch leaves them, over whatever the agent did to them (an agent may not edit the tests away).</summary>
    public async Task RestoreTestFilesAsync(CancellationToken cancellationToken = default)
    {
        foreach (var (file, content) in _testFiles)
        {
            var full = System.IO.Path.Combine(Path, file);
            if (content is null)
            {
                if (File.Exists(full))
                {
                    File.Delete(full);
                }
            }
            else
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
                await File.WriteAllBytesAsync(full, content, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs a shell command of the suite in the workspace, sandboxed, with a time limit.</summary>
    public async Task<SandboxResult> RunAsync(string script, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        await new LocalProcessSandbox(Path).RunAsync(new SandboxRequest { Script = script, Timeout = timeout, MaxOutputChars = 20_000 }, cancellationToken).ConfigureAwait(false);

    private async Task CommitAsync(string message, CancellationToken cancellationToken)
    {
        await GitAsync(Path, ["add", "-A"], "stage the workspace", cancellationToken).ConfigureAwait(false);
        await GitAsync(Path, ["-c", "user.name=memfun eval", "-c", "user.email=eval@memfun.invalid", "-c", "commit.gpgsign=false", "commit", "-q", "--allow-empty", "--no-verify", "-m", message], "commit the " + message[6..], cancellationToken).ConfigureAwait(false);
    }

    private static async Task<string> GitAsync(string cwd, IReadOnlyList<string> args, string what, CancellationToken cancellationToken)
    {
        var result = await new LocalProcessSandbox(cwd).RunAsync(
            new SandboxRequest { FileName = "git", Arguments = args, Timeout = GitTimeout, MaxOutputChars = 10_000_000 }, cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0 && !result.TimedOut
            ? result.StandardOutput
            : throw new EvalSuiteException($"Could not {what} (git {args[0]}{(result.TimedOut ? ", timed out" : $", exit {result.ExitCode}")}): {Tail(result.StandardError + result.StandardOutput)}");
    }

    /// <summary>The files a unified diff writes (the <c>b/</c> side of each <c>diff --git</c>, or <c>+++</c> line).</summary>
    internal static IReadOnlyList<string> PatchedFiles(string patch)
    {
        var files = new List<string>();
        foreach (Match m in DiffHeader().Matches(patch))
        {
            files.Add(m.Groups[1].Value.Trim());
        }

        if (files.Count == 0)
        {
            foreach (Match m in PlusHeader().Matches(patch))
            {
                files.Add(m.Groups[1].Value.Trim());
            }
        }

        return [.. files.Distinct(StringComparer.Ordinal).Where(f => !f.Contains("..", StringComparison.Ordinal) && !System.IO.Path.IsPathRooted(f))];
    }

    private static string Normalised(string patch) => patch.EndsWith('\n') ? patch : patch + "\n";

    internal static string Tail(string text, int max = 2000) => text.Length <= max ? text.Trim() : "…" + text[^max..].Trim();

    private static void CopyFolder(string from, string to)
    {
        if (!Directory.Exists(from))
        {
            throw new EvalSuiteException($"The task's workspace '{from}' does not exist.");
        }

        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            if (entry.Name == ".git")
            {
                continue;
            }

            var target = System.IO.Path.Combine(to, entry.Name);
            if (entry.LinkTarget is not null)
            {
                // Links are copied as links; the agent's tools refuse to follow one out of the workspace.
                File.CreateSymbolicLink(target, entry.LinkTarget);
            }
            else if (entry is DirectoryInfo dir)
            {
                CopyFolder(dir.FullName, target);
            }
            else
            {
                File.Copy(entry.FullName, target);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(target, File.GetUnixFileMode(entry.FullName));
                }
            }
        }
    }

    public void Dispose()
    {
        if (Keep)
        {
            return;
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A process the agent left behind may still hold a file; the temp folder is swept by the OS.
        }
    }

    [GeneratedRegex(@"^diff --git a/.+? b/(.+)$", RegexOptions.Multiline)]
    private static partial Regex DiffHeader();

    [GeneratedRegex(@"^\+\+\+ b/(.+)$", RegexOptions.Multiline)]
    private static partial Regex PlusHeader();
}
