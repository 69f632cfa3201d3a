using System.Text;
using Memfun.Tools.Workspace;

namespace Memfun.Tools.Files;

/// <summary>
/// Applies <c>edit_file</c>: reads the file, detects its encoding, BOM and line endings, locates the
/// text with <see cref="FuzzyEditor"/>, writes the result atomically in the file's own format, and
/// invalidates the read cache.
/// </summary>
/// <remarks>
/// Thread-safe for different files. Matching runs on LF-normalised text; only the replaced regions
/// change on disk — every other byte (including mixed line endings elsewhere) stays as it was, and
/// inserted line breaks take the file's dominant style.
/// </remarks>
internal sealed class FileEditor(PathGuard guard, ReadCache cache)
{
    /// <summary>Files larger than this are not edited (read them in pages and rewrite smaller pieces).</summary>
    public const long MaxFileBytes = 32L * 1024 * 1024;

    public EditFileResult Edit(string path, string oldText, string newText, bool replaceAll, bool dryRun)
    {
        ArgumentNullException.ThrowIfNull(oldText);
        ArgumentNullException.ThrowIfNull(newText);
        var full = guard.Resolve(path);
        var display = guard.Display(full);
        ProtectedPaths.ThrowIfProtected(guard, full, "edit_file");
        lock (PathLocks.For(full))
        {
            try
            {
                return EditLocked(full, display, oldText, newText, replaceAll, dryRun);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new MemfunToolException($"Could not edit '{display}': {ex.Message}", ex);
            }
        }
    }

    private EditFileResult EditLocked(string full, string display, string oldText, string newText, bool replaceAll, bool dryRun)
    {
        byte[] bytes;
        try
        {
            bytes = SafeFile.ReadAllBytes(guard.Roots, full, display, MaxFileBytes, "edit_file handles files up to that size; use run_cmd with a stream editor (sed) for files this large.");
        }
        catch (SafeFileException ex) when (ex.Error == SafeFileError.NotFound)
        {
            throw new MemfunToolException($"The file '{display}' does not exist. Use list_files or search to find the right path, or write_file to create it.", ex);
        }
        catch (SafeFileException ex) when (ex.Error == SafeFileError.Directory)
        {
            throw new MemfunToolException($"'{display}' is a directory, not a file. Use list_files to see what it contains.", ex);
        }

        if (TextFileFormat.Utf16FromBom(bytes) is null && BinarySniffer.LooksBinary(bytes.AsSpan(0, Math.Min(bytes.Length, BinarySniffer.SampleSize))))
        {
            throw new MemfunToolException($"'{display}' is a binary file ({BinarySniffer.GuessType(bytes)}); edit_file changes text files only.");
        }

        var format = TextFileFormat.Detect(bytes);
        var raw = format.Decode(bytes);
        var (content, crBefore) = ToLf(raw);
        var oldLf = oldText.Replace("\r\n", "\n", StringComparison.Ordinal);
        var newLf = newText.Replace("\r\n", "\n", StringComparison.Ordinal);
        var plan = FuzzyEditor.Plan(content, oldLf, newLf, replaceAll, display);

        var after = new StringBuilder(content.Length + 64);
        var rawAfter = new StringBuilder(raw.Length + 64);
        int pos = 0, rawPos = 0;
        foreach (var r in plan.Replacements)
        {
            var rawStart = ToRaw(r.Start, crBefore);
            var rawEnd = ToRaw(r.Start + r.Length, crBefore);
            after.Append(content, pos, r.Start - pos).Append(r.Text);
            rawAfter.Append(raw, rawPos, rawStart - rawPos).Append(format.LineEnding == "\n" ? r.Text : r.Text.Replace("\n", format.LineEnding, StringComparison.Ordinal));
            pos = r.Start + r.Length;
            rawPos = rawEnd;
        }

        after.Append(content, pos, content.Length - pos);
        rawAfter.Append(raw, rawPos, raw.Length - rawPos);

        var diff = UnifiedDiff.Render(content, after.ToString(), display);
        if (!dryRun)
        {
            AtomicFile.Write(guard.Roots, full, format.Encode(rawAfter.ToString()), display);
            cache.Invalidate(full);
        }

        return new EditFileResult(display, plan.Strategy, plan.Regions.Count, diff, dryRun, Math.Round(plan.Similarity, 3), plan.Regions, plan.Normalized);
    }

    /// <summary>Drops the CR of every CRLF; returns, for each dropped CR, the LF-text index of its LF.</summary>
    private static (string Text, List<int> CrBefore) ToLf(string raw)
    {
        var positions = new List<int>();
        if (!raw.Contains('\r', StringComparison.Ordinal))
        {
            return (raw, positions);
        }

        var sb = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\r' && i + 1 < raw.Length && raw[i + 1] == '\n')
            {
                positions.Add(sb.Length);
                continue;
            }

            sb.Append(raw[i]);
        }

        return (sb.ToString(), positions);
    }

    /// <summary>Maps an index of the LF text to the raw text: a boundary just before an LF that had a CR lands before the CR.</summary>
    private static int ToRaw(int index, List<int> crBefore)
    {
        var i = crBefore.BinarySearch(index);
        var removedBefore = i >= 0 ? i : ~i;
        return index + removedBefore;
    }
}
