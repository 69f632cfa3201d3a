using Memfun.Tools.Workspace;

namespace Memfun.Tools.Files;

/// <summary>
/// Replaces a file's content atomically: the bytes go to a temporary file in the same folder, are
/// flushed to disk (fsync), take the old file's Unix permissions, then the temporary file is renamed
/// over the target. Readers see the old content or the new, never a part; a crash leaves at worst a
/// stray <c>.*.memfun-tmp</c> file beside the target, never a half-written target, and a later write in
/// that folder removes such strays once they are ten minutes old (<see cref="StrayTemporaries"/>).
/// </summary>
/// <remarks>
/// Thread-safe per target only when callers serialize writes to the same path. Every step runs through
/// <see cref="SafeFile.WriteAtomic"/>: relative to the verified descriptor of the parent folder, so a
/// folder swapped for a link meanwhile cannot make the write land outside the workspace.
/// </remarks>
internal static class AtomicFile
{
    /// <summary>Marks temporary files so they can be recognised (and ignored by listings).</summary>
    public const string TempSuffix = ".memfun-tmp";

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically, creating parent folders.</summary>
    /// <param name="roots">The workspace roots the path must stay in.</param>
    /// <param name="path">The target, as <see cref="PathGuard.Resolve"/> returned it.</param>
    /// <param name="bytes">The new content.</param>
    /// <param name="displayPath">The path for messages.</param>
    /// <exception cref="MemfunToolException">The folder cannot be created or written, or the path changed into a link.</exception>
    public static void Write(IReadOnlyList<string> roots, string path, ReadOnlySpan<byte> bytes, string displayPath)
    {
        try
        {
            SafeFile.WriteAtomic(roots, path, bytes, displayPath, TempSuffix);
        }
        catch (SafeFileException ex) when (ex.Error == SafeFileError.Outside)
        {
            throw new WorkspaceAccessException(ex.Message, ex);
        }
        catch (SafeFileException ex)
        {
            throw new MemfunToolException(ex.Message, ex);
        }
    }
}
