using System.Globalization;
using System.Text;
using Memfun.Tools.Workspace;

namespace Memfun.Tools.Files;

/// <summary>
/// Writes whole files for <c>write_file</c>: creates parent folders, refuses to shrink an existing file
/// by more than <see cref="MaxShrink"/> unless told to, keeps an existing UTF-8 BOM and the Unix
/// permissions, writes atomically, and invalidates the read cache for the file.
/// </summary>
/// <remarks>Thread-safe. Content is written as UTF-8 exactly as given (line endings untouched).</remarks>
internal sealed class FileWriter(PathGuard guard, ReadCache cache)
{
    /// <summary>The largest share of an existing file (by lines or by bytes) a write may remove without <c>allow_shrink</c>.</summary>
    public const double MaxShrink = 0.30;

    /// <summary>The largest existing file write_file replaces (it is read whole to compare sizes and keep its BOM).</summary>
    public const long MaxExistingBytes = 256L * 1024 * 1024;

    private static readonly UTF8Encoding Utf8 = new(false);

    public WriteFileResult Write(string path, string content, bool allowShrink)
    {
        ArgumentNullException.ThrowIfNull(content);
        var full = guard.Resolve(path);
        var display = guard.Display(full);
        if (Directory.Exists(full))
        {
            throw new MemfunToolException($"'{display}' is a directory; write_file writes files. Pass a file path such as '{display.TrimEnd('/')}/new_file.txt'.");
        }

        if (full == guard.Root)
        {
            throw new MemfunToolException("write_file needs a file path, not the workspace root.");
        }

        ProtectedPaths.ThrowIfProtected(guard, full, "write_file");

        lock (PathLocks.For(full))
        {
            try
            {
                return WriteLocked(full, display, content, allowShrink);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new MemfunToolException($"Could not write '{display}': {ex.Message}", ex);
            }
        }
    }

    private WriteFileResult WriteLocked(string full, string display, string content, bool allowShrink)
    {
        byte[]? old;
        try
        {
            old = SafeFile.ReadAllBytes(guard.Roots, full, display, MaxExistingBytes, "write_file does not replace files this large; use run_cmd for them.");
        }
        catch (SafeFileException ex) when (ex.Error == SafeFileError.NotFound)
        {
            old = null;
        }

        var exists = old is not null;
        long? oldBytes = null;
        long? oldLines = null;
        var bom = false;
        if (old is not null)
        {
            oldBytes = old.Length;
            oldLines = CountLines(old);
            bom = old.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]);
        }

        var body = Utf8.GetBytes(content);
        if (bom && !content.StartsWith('\uFEFF'))
        {
            body = [0xEF, 0xBB, 0xBF, .. body];
        }

        var newLines = CountLines(body);
        if (exists && !allowShrink)
        {
            if (oldLines > 0 && newLines < oldLines * (1 - MaxShrink))
            {
                throw Shrink(display, "lines", oldLines.Value, newLines);
            }

            if (oldBytes > 0 && body.Length < oldBytes * (1 - MaxShrink))
            {
                throw Shrink(display, "bytes", oldBytes.Value, body.Length);
            }
        }

        AtomicFile.Write(guard.Roots, full, body, display);
        cache.Invalidate(full);
        return new WriteFileResult(display, !exists, body.Length, newLines, oldBytes, oldLines);
    }

    private static MemfunToolException Shrink(string display, string unit, long before, long after) => new(string.Create(CultureInfo.InvariantCulture,
        $"Refusing to overwrite '{display}': the new content would remove {1 - ((double)after / before):P0} of it by {unit} ({before} {unit} now, {after} after; the limit is {MaxShrink:P0}). ")
        + "This usually means the content was cut short. To change part of a file use edit_file; if the shorter content is really what you want, call write_file again with allow_shrink=true.");

    internal static long CountLines(ReadOnlySpan<byte> bytes) =>
        bytes.IsEmpty ? 0 : bytes.Count((byte)'\n') + (bytes[^1] == (byte)'\n' ? 0 : 1);
}
