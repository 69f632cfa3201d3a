using System.Text;
using Memfun.Tools;
using Memfun.Tools.Workspace;

namespace Memfun.Engine.Solving;

/// <summary>
/// The built-in <see cref="IEditApplier"/>: resolves every path through <see cref="PathGuard"/>, computes every
/// file's new text in memory (edits in order, with <see cref="TextEditMatcher"/>), and only when all are valid
/// writes them (temp file + rename each); a failed write restores what was already written.
/// </summary>
/// <remarks>Stands in for the Files tools' write guard and fuzzy edit. Thread-safe per batch.</remarks>
internal sealed class GuardedEditApplier(PathGuard guard) : IEditApplier
{
    private const int MaxContentChars = 4 * 1024 * 1024;

    public async Task<IReadOnlyList<FileChange>> ApplyAsync(IReadOnlyList<FileOperation> operations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var problems = new List<string>();
        var pending = new Dictionary<string, (string Relative, string? Before, string After)>(StringComparer.Ordinal);
        var order = new List<string>();

        for (var i = 0; i < operations.Count; i++)
        {
            var op = operations[i];
            var label = $"operation {i + 1} ({op.Op} {op.Path})";
            if (op.Op is not ("write" or "edit"))
            {
                problems.Add($"{label}: only write and edit operations change files");
                continue;
            }

            string full;
            try
            {
                full = guard.Resolve(op.Path);
            }
            catch (MemfunToolException ex)
            {
                problems.Add($"{label}: {ex.Message}");
                continue;
            }

            var relative = guard.Display(full);
            if (relative.Split('/').Contains(".git") || Directory.Exists(full) || full == guard.Root)
            {
                problems.Add($"{label}: '{op.Path}' is a folder or lies inside .git; name a file in the workspace");
                continue;
            }

            if (!pending.TryGetValue(full, out var state))
            {
                string? before = File.Exists(full) ? await File.ReadAllTextAsync(full, cancellationToken).ConfigureAwait(false) : null;
                state = (relative, before, before ?? string.Empty);
                if (before is null && op.Op == "edit")
                {
                    problems.Add($"{label}: the file '{op.Path}' does not exist; use a write operation to create it");
                    continue;
                }

                order.Add(full);
            }

            if (op.Op == "write")
            {
                if (op.Content is null || op.Content.Length > MaxContentChars)
                {
                    problems.Add($"{label}: the content is missing or over {MaxContentChars} characters");
                    continue;
                }

                state.After = op.Content;
            }
            else
            {
                var applied = TextEditMatcher.TryApply(state.After, op.Old ?? string.Empty, op.New ?? string.Empty, out var problem);
                if (applied is null)
                {
                    problems.Add($"{label}: {problem}");
                    continue;
                }

                state.After = applied;
            }

            pending[full] = state;
        }

        if (problems.Count > 0)
        {
            throw new OperationsRejectedException(problems);
        }

        return Commit(order.Where(pending.ContainsKey).Select(f => (f, pending[f])).ToList());
    }

    private static List<FileChange> Commit(List<(string Full, (string Relative, string? Before, string After) State)> files)
    {
        var written = new List<(string Full, byte[]? Original, List<string> CreatedDirs)>();
        try
        {
            foreach (var (full, state) in files)
            {
                var original = File.Exists(full) ? File.ReadAllBytes(full) : null;
                var created = CreateParents(Path.GetDirectoryName(full)!);
                written.Add((full, original, created));
                var tmp = full + $".memfun-{Guid.NewGuid():N}.tmp";
                File.WriteAllText(tmp, state.After, new UTF8Encoding(false));
                if (original is not null && !OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(tmp, File.GetUnixFileMode(full));
                }

                File.Move(tmp, full, overwrite: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Rollback(written);
            throw new OperationsRejectedException($"Writing the changes failed ({ex.Message}); every file was restored to its state before the change.", ex);
        }

        return [.. files.Where(f => f.State.Before != f.State.After).Select(f => new FileChange(f.State.Relative, f.State.Before, f.State.After))];
    }

    private static void Rollback(List<(string Full, byte[]? Original, List<string> CreatedDirs)> written)
    {
        for (var i = written.Count - 1; i >= 0; i--)
        {
            var (full, original, dirs) = written[i];
            try
            {
                if (original is null)
                {
                    File.Delete(full);
                }
                else
                {
                    File.WriteAllBytes(full, original);
                }

                foreach (var d in Enumerable.Reverse(dirs))
                {
                    if (Directory.Exists(d) && !Directory.EnumerateFileSystemEntries(d).Any())
                    {
                        Directory.Delete(d);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Best effort: the original error is reported; nothing more can be done for this file.
            }
        }
    }

    private static List<string> CreateParents(string dir)
    {
        var created = new List<string>();
        var missing = new Stack<string>();
        for (var d = dir; !string.IsNullOrEmpty(d) && !Directory.Exists(d); d = Path.GetDirectoryName(d))
        {
            missing.Push(d);
        }

        while (missing.Count > 0)
        {
            var d = missing.Pop();
            Directory.CreateDirectory(d);
            created.Add(d);
        }

        return created;
    }
}
