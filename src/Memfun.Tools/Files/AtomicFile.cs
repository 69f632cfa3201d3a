namespace Memfun.Tools.Files;

/// <summary>
/// Replaces a file's content atomically: the bytes go to a temporary file in the same folder, are
/// flushed to disk (fsync), take the old file's Unix permissions, then the temporary file is renamed
/// over the target. Readers see the old content or the new, never a part; a crash leaves at worst a
/// stray <c>.*.memfun-tmp</c> file beside the target, never a half-written target.
/// </summary>
/// <remarks>Thread-safe per target only when callers serialize writes to the same path.</remarks>
internal static class AtomicFile
{
    /// <summary>Marks temporary files so they can be recognised (and ignored by listings).</summary>
    public const string TempSuffix = ".memfun-tmp";

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically, creating parent folders.</summary>
    /// <exception cref="MemfunToolException">The folder cannot be created or written.</exception>
    public static void Write(string path, ReadOnlySpan<byte> bytes, string displayPath)
    {
        var folder = Path.GetDirectoryName(path)!;
        var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            Directory.CreateDirectory(folder);
            UnixFileMode? mode = null;
            if (!OperatingSystem.IsWindows() && File.Exists(path))
            {
                mode = File.GetUnixFileMode(path);
            }

            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                PreallocationSize = bytes.Length,
            };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = mode ?? (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            using (var stream = new FileStream(temp, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            if (mode is { } m && !OperatingSystem.IsWindows())
            {
                // The create mode is filtered by the umask; set the old file's mode exactly.
                File.SetUnixFileMode(temp, m);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new MemfunToolException($"Could not write '{displayPath}': {ex.Message}", ex);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a stray temp file is harmless and recognisable by its suffix.
        }
    }
}
