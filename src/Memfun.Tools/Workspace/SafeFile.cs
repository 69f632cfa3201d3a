using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Memfun.Tools.Workspace;

/// <summary>
/// Opens, reads and writes files beneath a root with the check and the open as one step, so a folder
/// swapped for a symbolic link between the check and the open can never make a read leak or a write
/// land outside: on Linux, <c>openat2</c> with <c>RESOLVE_BENEATH</c> and <c>RESOLVE_NO_MAGICLINKS</c>
/// relative to a descriptor of the root (or, where the kernel lacks <c>openat2</c>, a walk component by
/// component with <c>O_NOFOLLOW</c>); writes go to a temporary file created and renamed relative to the
/// verified descriptor of the parent folder. Only regular files are opened: a FIFO, socket or device is
/// refused at once (it is opened with <c>O_NONBLOCK</c> and checked before any read), and every whole-file
/// read has a byte cap.
/// </summary>
/// <remarks>
/// <para>Links: a path may pass through symbolic links that stay beneath the root (relative links, as the
/// kernel resolves them under <c>RESOLVE_BENEATH</c>); any other link (absolute, or leaving the root) is
/// resolved once by <see cref="PathGuard.RealPath"/>, required to land inside a root, and the real path is
/// then opened with <c>RESOLVE_NO_SYMLINKS</c>, so a link that appears after that check fails the open.</para>
/// <para>Thread-safe. Root descriptors are reused for up to two seconds (a replaced root folder is seen
/// again after that). On other systems the same checks run through the managed file API, without the
/// one-step guarantee.</para>
/// </remarks>
internal static class SafeFile
{
    /// <summary>The default cap for a file the server reads on its own account (config, memory, agents, ignore files).</summary>
    public const long DefaultOwnFileCap = 1024 * 1024;

    private static readonly long RootTtl = 2 * TimeSpan.TicksPerSecond;
    private static readonly ConcurrentDictionary<string, RootHandle> RootHandles = new(StringComparer.Ordinal);
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>
    /// Opens the existing regular file <paramref name="full"/> (an absolute path inside one of
    /// <paramref name="roots"/>) for reading.
    /// </summary>
    /// <param name="roots">The canonical roots (links resolved), e.g. <see cref="PathGuard.Roots"/>.</param>
    /// <param name="full">The absolute path; it may pass through links that stay inside a root.</param>
    /// <param name="display">The path as the caller names it in messages.</param>
    /// <param name="facts">The file's size and modification time, from the opened descriptor.</param>
    /// <returns>A handle the caller disposes.</returns>
    /// <exception cref="SafeFileException">The file is missing, a folder, not a regular file, outside, or unreadable.</exception>
    public static SafeFileHandle OpenRead(IReadOnlyList<string> roots, string full, string display, out SafeFileFacts facts)
    {
        ArgumentNullException.ThrowIfNull(roots);
        ArgumentNullException.ThrowIfNull(full);
        if (!NativeFile.IsSupported)
        {
            return ManagedOpenRead(roots, full, display, out facts);
        }

        const int flags = NativeFile.ORdOnly | NativeFile.ONonBlock | NativeFile.ONoCtty | NativeFile.OCloExec;
        var fd = OpenBeneath(roots, full, display, flags);
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            var rc = NativeFile.Fstat(handle, out var stat);
            if (rc < 0)
            {
                throw Failure(-rc, display);
            }

            if (stat.Type != NativeFile.SIfReg)
            {
                throw NotRegular(stat.Type, display);
            }

            facts = new SafeFileFacts((long)stat.Size, stat.LastWriteTimeUtc);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Reads the whole regular file <paramref name="full"/>, refusing it when it is larger than <paramref name="maxBytes"/>.</summary>
    /// <param name="roots">The canonical roots.</param>
    /// <param name="full">The absolute path inside a root.</param>
    /// <param name="display">The path as the caller names it in messages.</param>
    /// <param name="maxBytes">The cap; a larger file is refused with <see cref="SafeFileError.TooLarge"/>.</param>
    /// <param name="tooLargeAdvice">Appended to the too-large message (what to do instead).</param>
    /// <exception cref="SafeFileException">As <see cref="OpenRead"/>, or the file is over the cap.</exception>
    public static byte[] ReadAllBytes(IReadOnlyList<string> roots, string full, string display, long maxBytes, string? tooLargeAdvice = null)
    {
        using var handle = OpenRead(roots, full, display, out var facts);
        if (facts.Length > maxBytes)
        {
            throw new SafeFileException(SafeFileError.TooLarge, string.Create(CultureInfo.InvariantCulture,
                $"'{display}' is {FormatBytes(facts.Length)}; it is read only up to {FormatBytes(maxBytes)}.") + (tooLargeAdvice is null ? string.Empty : " " + tooLargeAdvice));
        }

        // Read what the descriptor said, never more: a file that grows meanwhile is cut at its size then.
        var bytes = new byte[facts.Length];
        var total = 0;
        while (total < bytes.Length)
        {
            var n = RandomAccess.Read(handle, bytes.AsSpan(total), total);
            if (n == 0)
            {
                return bytes[..total];
            }

            total += n;
        }

        return bytes;
    }

    /// <summary>
    /// Reads a file the server reads on its own account (a skill's files, an <c>AGENT.md</c>, <c>MEMORY.md</c>,
    /// <c>memfun.toml</c>, an ignore file): <paramref name="path"/> must stay inside <paramref name="root"/>
    /// after every link is resolved, be a regular file, and hold at most <paramref name="maxBytes"/>.
    /// </summary>
    /// <param name="root">The folder the file must stay in (the workspace, or the skill's or agent's folder).</param>
    /// <param name="path">The file, absolute or relative to <paramref name="root"/>.</param>
    /// <param name="maxBytes">The cap.</param>
    /// <returns>The bytes, or null when the file does not exist.</returns>
    /// <exception cref="SafeFileException">The file leaves the root, is not a regular file, is over the cap, or cannot be read.</exception>
    public static byte[]? ReadOwnFile(string root, string path, long maxBytes = DefaultOwnFileCap)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var canonical = CanonicalRoot(root);
        var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(root, path));
        var lexicalRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        if (IsUnder(full, lexicalRoot) && !string.Equals(lexicalRoot, canonical, StringComparison.Ordinal))
        {
            // The root itself is reached through a link (e.g. /tmp on macOS): name the file under its real root.
            full = full == lexicalRoot ? canonical : Path.Combine(canonical, Path.GetRelativePath(lexicalRoot, full));
        }

        var display = Path.GetFileName(root) is { Length: > 0 } name && IsUnder(full, canonical)
            ? Path.Combine(name, Path.GetRelativePath(canonical, full)).Replace(Path.DirectorySeparatorChar, '/')
            : path;
        try
        {
            return ReadAllBytes([canonical], full, display, maxBytes);
        }
        catch (SafeFileException ex) when (ex.Error == SafeFileError.NotFound)
        {
            return null;
        }
    }

    /// <summary>As <see cref="ReadOwnFile"/>, decoded as UTF-8 (a byte-order mark dropped); null when the file does not exist.</summary>
    /// <exception cref="SafeFileException">As <see cref="ReadOwnFile"/>.</exception>
    /// <exception cref="DecoderFallbackException">The file is not valid UTF-8 and <paramref name="strict"/> is set.</exception>
    public static string? ReadOwnText(string root, string path, long maxBytes = DefaultOwnFileCap, bool strict = false) =>
        ReadOwnFile(root, path, maxBytes) is { } bytes ? DecodeUtf8(bytes, strict) : null;

    /// <summary>Decodes UTF-8, dropping a byte-order mark; invalid bytes throw when <paramref name="strict"/>, else become U+FFFD.</summary>
    public static string DecodeUtf8(ReadOnlySpan<byte> bytes, bool strict = false)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }

        return strict ? StrictUtf8.GetString(bytes) : Encoding.UTF8.GetString(bytes);
    }

    /// <summary>
    /// Replaces <paramref name="full"/> atomically with <paramref name="bytes"/>: creates the missing folders,
    /// writes a temporary file beside the target, flushes it to disk, gives it the old file's permissions,
    /// and renames it over the target; every step relative to the verified descriptor of the parent folder.
    /// </summary>
    /// <param name="roots">The canonical roots.</param>
    /// <param name="full">The target, an absolute path inside a root whose existing part has no links (as <see cref="PathGuard.Resolve"/> returns it).</param>
    /// <param name="bytes">The new content.</param>
    /// <param name="display">The path as the caller names it in messages.</param>
    /// <param name="tempSuffix">The suffix that marks the temporary file.</param>
    /// <exception cref="SafeFileException">A folder on the path became a link, the target is a folder or special file, or the write failed.</exception>
    public static void WriteAtomic(IReadOnlyList<string> roots, string full, ReadOnlySpan<byte> bytes, string display, string tempSuffix)
    {
        ArgumentNullException.ThrowIfNull(roots);
        ArgumentNullException.ThrowIfNull(full);
        var (root, relative) = Split(roots, full, display);
        var slash = relative.LastIndexOf('/');
        var parent = slash < 0 ? string.Empty : relative[..slash];
        var name = slash < 0 ? relative : relative[(slash + 1)..];
        if (name.Length == 0)
        {
            throw new SafeFileException(SafeFileError.Directory, $"'{display}' is a folder; a file path is needed.");
        }

        var temp = $".{name}.{Guid.NewGuid():N}{tempSuffix}";
        if (!NativeFile.IsSupported)
        {
            ManagedWriteAtomic(full, bytes, display, temp);
            return;
        }

        SafeFileHandle dir;
        using (var lease = RootLease.Acquire(root))
        {
            dir = OpenFolderCreating(lease.Handle, parent, display);
        }

        using var dirScope = dir;
        int? mode = null;
        if (NativeFile.StatAt(dir, name, out var old) == 0)
        {
            switch (old.Type)
            {
                case NativeFile.SIfReg:
                    mode = old.Mode & 0xFFF;
                    break;
                case NativeFile.SIfDir:
                    throw new SafeFileException(SafeFileError.Directory, $"'{display}' is a folder; a file path is needed.");
                case NativeFile.SIfLnk:
                    // The path was checked without a link here: one appeared since. The rename replaces the link itself, never its target.
                    break;
                default:
                    throw NotRegular(old.Type, display);
            }
        }

        var fd = NativeFile.Openat(dir, temp, NativeFile.OWrOnly | NativeFile.OCreat | NativeFile.OExcl | NativeFile.ONoFollow | NativeFile.OCloExec, mode ?? 0x1A4);
        if (fd < 0)
        {
            throw Failure(-fd, display);
        }

        try
        {
            var handle = new SafeFileHandle(fd, ownsHandle: true);
            using (var stream = new FileStream(handle, FileAccess.Write, 1))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);

                // The create mode is filtered by the umask; set the old file's mode exactly.
                if (mode is { } m && NativeFile.Fchmod(handle, m) is var rc && rc < 0)
                {
                    throw Failure(-rc, display);
                }
            }

            var renamed = NativeFile.RenameAt(dir, temp, name);
            if (renamed < 0)
            {
                throw Failure(-renamed, display);
            }

            StrayTemporaries.Sweep(dir, Path.GetDirectoryName(full)!, tempSuffix);
        }
        catch (Exception ex) when (ex is SafeFileException or IOException or UnauthorizedAccessException)
        {
            NativeFile.UnlinkAt(dir, temp);
            if (ex is SafeFileException)
            {
                throw;
            }

            throw new SafeFileException($"Could not write '{display}': {ex.Message}", ex);
        }
    }

    /// <summary>The root that holds <paramref name="full"/> (lexically) and the path below it with '/' separators.</summary>
    internal static (string Root, string Relative) Split(IReadOnlyList<string> roots, string full, string display)
    {
        foreach (var r in roots)
        {
            if (IsUnder(full, r))
            {
                var relative = full.Length == r.Length ? string.Empty : full[(r.EndsWith(Path.DirectorySeparatorChar) ? r.Length : r.Length + 1)..];
                return (r, relative.Replace(Path.DirectorySeparatorChar, '/'));
            }
        }

        throw new SafeFileException(SafeFileError.Outside, $"'{display}' is outside the folder it must stay in ('{string.Join("', '", roots)}'); refused.");
    }

    private static int OpenBeneath(IReadOnlyList<string> roots, string full, string display, int flags)
    {
        var (root, relative) = Split(roots, full, display);
        int fd;
        using (var lease = RootLease.Acquire(root))
        {
            fd = OpenRelative(lease.Handle, relative, flags, noLinks: false);
        }

        if (fd is -NativeFile.EXDev or -NativeFile.ELoop)
        {
            // A link that is absolute or leaves the root: resolve it once, require a root, open the real path with no links at all.
            var real = PathGuard.RealPath(full);
            if (!roots.Any(r => IsUnder(real, r)))
            {
                throw new SafeFileException(SafeFileError.Outside,
                    $"'{display}' is a symbolic link (or lies under one) whose target '{real}' is outside the folder it must stay in; refused.");
            }

            (root, relative) = Split(roots, real, display);
            using (var lease = RootLease.Acquire(root))
            {
                fd = OpenRelative(lease.Handle, relative, flags, noLinks: true);
            }

            if (fd is -NativeFile.EXDev or -NativeFile.ELoop)
            {
                throw Changed(display);
            }
        }

        if (fd < 0)
        {
            throw Failure(-fd, display);
        }

        return fd;
    }

    /// <summary>Opens <paramref name="relative"/> beneath <paramref name="root"/>; a descriptor or -errno (EXDEV/ELOOP for a link that is refused).</summary>
    private static int OpenRelative(SafeFileHandle root, string relative, int flags, bool noLinks)
    {
        if (relative.Length == 0)
        {
            relative = ".";
        }

        if (NativeFile.HasOpenat2)
        {
            var resolve = NativeFile.ResolveBeneath | NativeFile.ResolveNoMagicLinks | (noLinks ? NativeFile.ResolveNoSymlinks : 0);
            var fd = NativeFile.Openat2(root, relative, flags, 0, resolve);
            if (fd != -NativeFile.ENoSys)
            {
                return fd;
            }
        }

        // No openat2: walk folder by folder, never following a link (a link fails as ELOOP and is then resolved by the caller).
        var parts = relative.Split('/');
        if (relative != "." && Array.Exists(parts, static p => p is "" or "." or ".."))
        {
            return -NativeFile.EXDev;
        }

        SafeFileHandle? current = null;
        try
        {
            for (var i = 0; i < parts.Length - 1; i++)
            {
                var next = OpenFolderStep(current ?? root, parts[i]);
                if (next < 0)
                {
                    return next;
                }

                current?.Dispose();
                current = new SafeFileHandle(next, ownsHandle: true);
            }

            var last = NativeFile.Openat(current ?? root, parts[^1], flags | NativeFile.ONoFollow, 0);
            return last;
        }
        finally
        {
            current?.Dispose();
        }
    }

    /// <summary>One step of a walk: opens the folder <paramref name="name"/> in <paramref name="dir"/> without following a link.</summary>
    private static int OpenFolderStep(SafeFileHandle dir, string name)
    {
        var fd = NativeFile.Openat(dir, name, NativeFile.OPath | NativeFile.ODirectory | NativeFile.ONoFollow | NativeFile.OCloExec, 0);
        if (fd == -NativeFile.ENotDir && NativeFile.StatAt(dir, name, out var stat) == 0 && stat.Type == NativeFile.SIfLnk)
        {
            return -NativeFile.ELoop;
        }

        return fd;
    }

    /// <summary>Opens (creating what is missing) the folder <paramref name="relative"/> beneath <paramref name="root"/>, never through a link.</summary>
    private static SafeFileHandle OpenFolderCreating(SafeFileHandle root, string relative, string display)
    {
        var current = new SafeFileHandle(NativeFile.Openat(root, ".", NativeFile.OPath | NativeFile.ODirectory | NativeFile.OCloExec, 0), ownsHandle: true);
        if (current.IsInvalid)
        {
            throw new SafeFileException(SafeFileError.Io, $"Could not write '{display}': the workspace root cannot be opened.");
        }

        if (relative.Length == 0)
        {
            return current;
        }

        try
        {
            foreach (var part in relative.Split('/'))
            {
                if (part is "" or "." or "..")
                {
                    throw Changed(display);
                }

                var fd = OpenFolderStep(current, part);
                if (fd == -NativeFile.ENoEnt)
                {
                    var made = NativeFile.MkdirAt(current, part, 0x1FF);
                    if (made < 0 && made != -NativeFile.EExist)
                    {
                        throw Failure(-made, display);
                    }

                    fd = OpenFolderStep(current, part);
                }

                if (fd is -NativeFile.ELoop or -NativeFile.EXDev)
                {
                    throw Changed(display);
                }

                if (fd < 0)
                {
                    throw fd == -NativeFile.ENotDir
                        ? new SafeFileException(SafeFileError.NotFound, $"Could not write '{display}': '{part}' on its path is a file, not a folder.")
                        : Failure(-fd, display);
                }

                current.Dispose();
                current = new SafeFileHandle(fd, ownsHandle: true);
            }

            return current;
        }
        catch
        {
            current.Dispose();
            throw;
        }
    }

    private static SafeFileHandle RootFor(string root)
    {
        var now = Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
        if (RootHandles.TryGetValue(root, out var cached) && cached.Expires > now)
        {
            return cached.Handle;
        }

        var fd = NativeFile.OpenRoot(root);
        if (fd < 0)
        {
            throw new SafeFileException(SafeFileError.NotFound, $"The folder '{root}' cannot be opened: {NativeFile.Describe(-fd)}.");
        }

        var fresh = new RootHandle(new SafeFileHandle(fd, ownsHandle: true), now + RootTtl);
        RootHandles[root] = fresh;

        // A replaced handle may still be leased by another thread: the lease's reference delays the close until it is done.
        cached?.Handle.Dispose();
        return fresh.Handle;
    }

    private static string CanonicalRoot(string root) => PathGuard.RealPath(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)));

    private static bool IsUnder(string full, string root)
    {
        if (string.Equals(full, root, StringComparison.Ordinal))
        {
            return true;
        }

        var prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return full.StartsWith(prefix, StringComparison.Ordinal);
    }

    private static SafeFileException Changed(string display) => new(SafeFileError.Outside,
        $"'{display}' changed while it was being opened (a folder or file on its path became a symbolic link); refused. Try again if the change was your own.");

    private static SafeFileException NotRegular(int type, string display)
    {
        if (type == NativeFile.SIfDir)
        {
            return new SafeFileException(SafeFileError.Directory, $"'{display}' is a folder, not a file.");
        }

        var kind = type switch
        {
            NativeFile.SIfIfo => "a FIFO (named pipe)",
            NativeFile.SIfChr => "a character device",
            NativeFile.SIfBlk => "a block device",
            NativeFile.SIfSock => "a socket",
            _ => "not a regular file",
        };
        return new SafeFileException(SafeFileError.NotRegular, $"'{display}' is {kind}; only regular files are read or written. Refused without reading it.");
    }

    private static SafeFileException Failure(int errno, string display) => errno switch
    {
        NativeFile.ENoEnt or NativeFile.ENotDir => new SafeFileException(SafeFileError.NotFound, $"'{display}' does not exist."),
        NativeFile.EIsDir => new SafeFileException(SafeFileError.Directory, $"'{display}' is a folder, not a file."),
        NativeFile.EAcces or NativeFile.EPerm => new SafeFileException(SafeFileError.Denied, $"'{display}' cannot be opened: permission denied."),
        NativeFile.ENxIo => new SafeFileException(SafeFileError.NotRegular, $"'{display}' is a socket or device; only regular files are read or written. Refused without reading it."),
        NativeFile.ELoop or NativeFile.EXDev => Changed(display),
        _ => new SafeFileException(SafeFileError.Io, $"'{display}' cannot be opened: {NativeFile.Describe(errno)}."),
    };

    private static string FormatBytes(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
    };

    private static SafeFileHandle ManagedOpenRead(IReadOnlyList<string> roots, string full, string display, out SafeFileFacts facts)
    {
        var real = PathGuard.RealPath(full);
        if (!roots.Any(r => IsUnder(real, r)))
        {
            throw new SafeFileException(SafeFileError.Outside, $"'{display}' is a symbolic link (or lies under one) whose target '{real}' is outside the folder it must stay in; refused.");
        }

        if (Directory.Exists(real))
        {
            throw new SafeFileException(SafeFileError.Directory, $"'{display}' is a folder, not a file.");
        }

        if (!File.Exists(real))
        {
            throw new SafeFileException(SafeFileError.NotFound, $"'{display}' does not exist.");
        }

        try
        {
            var handle = File.OpenHandle(real, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            facts = new SafeFileFacts(RandomAccess.GetLength(handle), File.GetLastWriteTimeUtc(handle));
            return handle;
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new SafeFileException($"'{display}' cannot be opened: permission denied.", ex);
        }
        catch (IOException ex)
        {
            throw new SafeFileException($"'{display}' cannot be opened: {ex.Message}", ex);
        }
    }

    private static void ManagedWriteAtomic(string full, ReadOnlySpan<byte> bytes, string display, string tempName)
    {
        var folder = Path.GetDirectoryName(full)!;
        var temp = Path.Combine(folder, tempName);
        try
        {
            Directory.CreateDirectory(folder);
            UnixFileMode? mode = null;
            if (!OperatingSystem.IsWindows() && File.Exists(full))
            {
                mode = File.GetUnixFileMode(full);
            }

            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, PreallocationSize = bytes.Length };
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
                File.SetUnixFileMode(temp, m);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // Best effort: a stray temp file is harmless and recognisable by its suffix.
            }

            throw new SafeFileException($"Could not write '{display}': {ex.Message}", ex);
        }
    }

    private sealed record RootHandle(SafeFileHandle Handle, long Expires);

    /// <summary>A reference on a cached root descriptor, so that a concurrent refresh cannot close it while it is used.</summary>
    private readonly struct RootLease : IDisposable
    {
        private RootLease(SafeFileHandle handle) => Handle = handle;

        public SafeFileHandle Handle { get; }

        public static RootLease Acquire(string root)
        {
            while (true)
            {
                var handle = RootFor(root);
                var added = false;
                try
                {
                    handle.DangerousAddRef(ref added);
                    return new RootLease(handle);
                }
                catch (ObjectDisposedException)
                {
                    // Refreshed and closed by another thread between the lookup and the reference: look again.
                }
            }
        }

        public void Dispose() => Handle.DangerousRelease();
    }
}
