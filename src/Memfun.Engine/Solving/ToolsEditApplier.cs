using System.Globalization;
using System.Text;
using Memfun.Tools;
using Memfun.Tools.Files;
using Memfun.Tools.Workspace;

namespace Memfun.Engine.Solving;

/// <summary>
/// The <see cref="IEditApplier"/> on the file tools' rules: resolves every path through <see cref="PathGuard"/>,
/// computes every file's new text in memory — edits in order, matched by <c>edit_file</c>'s own matcher
/// (<see cref="FuzzyEditor"/>: exact, then whitespace/indentation-normalised, then fuzzy at 85% similarity) —
/// refuses a write that would remove more than <see cref="FileWriter.MaxShrink"/> of an existing file (the
/// <c>write_file</c> guard), and only when every operation is valid writes the files (temp file + rename each);
/// a failed write restores what was already written.
/// </summary>
/// <remarks>
/// Thread-safe per batch. Matching runs on LF-normalised text; a file that used CRLF keeps CRLF. An ambiguous or
/// missing match rejects the batch with the matcher's own message (candidate lines, closest region).
/// </remarks>
internal sealed class ToolsEditApplier(PathGuard guard, ReadCache? readCache = null) : IEditApplier
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
            if (ProtectedPaths.IsProtected(SafeFile.Split(guard.Roots, full, relative).Relative) || Directory.Exists(full) || full == guard.Root)
            {
                problems.Add($"{label}: '{op.Path}' is a folder, or lies inside .git/ or .memfun/, or is memfun.toml (git's and memfun's own configuration, which only the user changes); name a file in the workspace");
                continue;
            }

            if (!pending.TryGetValue(full, out var state))
            {
                string? before;
                try
                {
                    before = ReadExisting(full, relative);
                }
                catch (MemfunToolException ex)
                {
                    problems.Add($"{label}: {ex.Message}");
                    continue;
                }

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

                var shrink = ShrinkProblem(state.Before, op.Content);
                if (shrink is not null)
                {
                    problems.Add($"{label}: {shrink}");
                    continue;
                }

                state.After = op.Content;
            }
            else
            {
                try
                {
                    state.After = ApplyEdit(state.After, op.Old ?? string.Empty, op.New ?? string.Empty, relative);
                }
                catch (EditMatchException ex)
                {
                    problems.Add($"{label}: {ex.Message}");
                    continue;
                }
            }

            pending[full] = state;
        }

        if (problems.Count > 0)
        {
            throw new OperationsRejectedException(problems);
        }

        return Commit(order.Where(pending.ContainsKey).Select(f => (f, pending[f])).ToList());
    }

    /// <summary>Applies one edit with edit_file's matcher on LF text; the file's CRLF line endings are kept.</summary>
    internal static string ApplyEdit(string text, string oldText, string newText, string display)
    {
        var crlf = text.Contains("\r\n", StringComparison.Ordinal);
        var content = crlf ? text.Replace("\r\n", "\n", StringComparison.Ordinal) : text;
        var plan = FuzzyEditor.Plan(
            content,
            oldText.Replace("\r\n", "\n", StringComparison.Ordinal),
            newText.Replace("\r\n", "\n", StringComparison.Ordinal),
            replaceAll: false,
            display);
        var after = new StringBuilder(content.Length + 64);
        var pos = 0;
        foreach (var r in plan.Replacements)
        {
            after.Append(content, pos, r.Start - pos).Append(r.Text);
            pos = r.Start + r.Length;
        }

        after.Append(content, pos, content.Length - pos);
        var result = after.ToString();
        return crlf ? result.Replace("\n", "\r\n", StringComparison.Ordinal) : result;
    }

    /// <summary>write_file's guard: a whole-file write may not remove more than 30% of an existing file's lines or bytes.</summary>
    private static string? ShrinkProblem(string? before, string after)
    {
        if (string.IsNullOrEmpty(before))
        {
            return null;
        }

        static long Lines(string s) => s.Length == 0 ? 0 : s.Count(c => c == '\n') + (s[^1] == '\n' ? 0 : 1);
        long oldLines = Lines(before), newLines = Lines(after);
        long oldBytes = Encoding.UTF8.GetByteCount(before), newBytes = Encoding.UTF8.GetByteCount(after);
        var (unit, was, now) = newLines < oldLines * (1 - FileWriter.MaxShrink) ? ("lines", oldLines, newLines)
            : newBytes < oldBytes * (1 - FileWriter.MaxShrink) ? ("bytes", oldBytes, newBytes)
            : (null, 0L, 0L);
        return unit is null ? null : string.Create(
            CultureInfo.InvariantCulture,
            $"the write would remove {1 - ((double)now / was):P0} of the file by {unit} ({was} now, {now} after; the limit is {FileWriter.MaxShrink:P0}); this usually means the content was cut short — change part of a file with an edit operation");
    }

    private List<FileChange> Commit(List<(string Full, (string Relative, string? Before, string After) State)> files)
    {
        var written = new List<(string Full, byte[]? Original, List<string> CreatedDirs)>();
        try
        {
            foreach (var (full, state) in files)
            {
                var original = ReadExistingBytes(full, state.Relative);
                var created = CreateParents(Path.GetDirectoryName(full)!);
                written.Add((full, original, created));

                // Temp file and rename relative to the verified parent folder: a folder swapped for a link cannot redirect the write.
                AtomicFile.Write(guard.Roots, full, new UTF8Encoding(false).GetBytes(state.After), state.Relative);
                readCache?.Invalidate(full);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or MemfunToolException)
        {
            Rollback(written);
            throw new OperationsRejectedException($"Writing the changes failed ({ex.Message}); every file was restored to its state before the change.", ex);
        }

        return [.. files.Where(f => f.State.Before != f.State.After).Select(f => new FileChange(f.State.Relative, f.State.Before, f.State.After))];
    }

    /// <summary>The text of an existing file (null when there is none), read beneath the workspace, a regular file, capped.</summary>
    private string? ReadExisting(string full, string display) =>
        ReadExistingBytes(full, display) is { } bytes ? SafeFile.DecodeUtf8(bytes) : null;

    private byte[]? ReadExistingBytes(string full, string display)
    {
        try
        {
            return SafeFile.ReadAllBytes(guard.Roots, full, display, 4L * MaxContentChars, "Change files this large with run_cmd.");
        }
        catch (SafeFileException ex) when (ex.Error == SafeFileError.NotFound)
        {
            return null;
        }
    }

    private void Rollback(List<(string Full, byte[]? Original, List<string> CreatedDirs)> written)
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
                    AtomicFile.Write(guard.Roots, full, original, full);
                }

                foreach (var d in Enumerable.Reverse(dirs))
                {
                    if (Directory.Exists(d) && !Directory.EnumerateFileSystemEntries(d).Any())
                    {
                        Directory.Delete(d);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or MemfunToolException)
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
