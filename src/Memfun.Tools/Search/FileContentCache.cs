using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using Memfun.Tools.Workspace;

namespace Memfun.Tools.Search;

/// <summary>
/// Keeps the decoded text of the files searched, keyed by full path and validated by size and
/// modification time on every use, so a warm search reads nothing from disk that has not changed.
/// </summary>
/// <remarks>
/// Thread-safe. Binary files are remembered as binary (no text kept). Files above
/// <see cref="SearchOptions.MaxCachedFileBytes"/> are read into pooled buffers on every search; the
/// total text kept never exceeds <see cref="SearchOptions.CacheBudgetBytes"/> (new files are then
/// read without being kept). Entries of files that vanished are dropped on the next full walk.
/// </remarks>
internal sealed class FileContentCache
{
    private const int BinaryProbeBytes = 8000;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly SearchOptions _options;
    private readonly PathGuard _guard;
    private long _bytes;

    public FileContentCache(SearchOptions options, PathGuard guard)
    {
        _options = options;
        _guard = guard;
    }

    /// <summary>The bytes of text held now.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Files read from disk since start (a warm search of unchanged files adds none).</summary>
    public long DiskReads => Interlocked.Read(ref _diskReads);

    private long _diskReads;

    /// <summary>
    /// Calls <paramref name="use"/> with the text of <paramref name="file"/>; returns false when the file
    /// is binary or unreadable (and <paramref name="use"/> is not called).
    /// </summary>
    public bool WithText<TState>(in WorkspaceEntry file, TState state, ContentAction<TState> use)
    {
        if (_entries.TryGetValue(file.FullPath, out var hit) && hit.Length == file.Length && hit.LastWrite == file.LastWriteTimeUtc)
        {
            if (hit.Text is null)
            {
                return false;
            }

            use(hit.Text.AsSpan(), state);
            return true;
        }

        Interlocked.Increment(ref _diskReads);
        var length = (int)Math.Min(file.Length, int.MaxValue - 64);
        var bytes = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        char[]? chars = null;
        try
        {
            int read;
            try
            {
                // Beneath the workspace in one step, regular files only: a FIFO or device is skipped at once, never waited on.
                using var handle = SafeFile.OpenRead(_guard.Roots, file.FullPath, file.RelativePath, out _);
                read = ReadAll(handle, bytes.AsSpan(0, length));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or MemfunToolException)
            {
                return false;
            }

            var data = bytes.AsSpan(0, read);
            var keep = _options.MaxCachedFileBytes > 0 && file.Length <= _options.MaxCachedFileBytes;
            if (data[..Math.Min(read, BinaryProbeBytes)].Contains((byte)0))
            {
                if (keep)
                {
                    Remember(file, null);
                }

                return false;
            }

            if (data.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                data = data[3..];
            }

            if (keep && Bytes + (2L * read) <= _options.CacheBudgetBytes)
            {
                var text = Utf8.GetString(data);
                Remember(file, text);
                use(text.AsSpan(), state);
                return true;
            }

            chars = ArrayPool<char>.Shared.Rent(Math.Max(Utf8.GetMaxCharCount(data.Length), 1));
            var count = Utf8.GetChars(data, chars);
            use(chars.AsSpan(0, count), state);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            if (chars is not null)
            {
                ArrayPool<char>.Shared.Return(chars);
            }
        }
    }

    /// <summary>
    /// After a walk of the whole workspace: when the cache holds more entries than the walk found,
    /// drops the entries of files that are gone.
    /// </summary>
    public void RetainIfGrown(IReadOnlyList<WorkspaceEntry> walked)
    {
        if (_entries.Count <= walked.Count)
        {
            return;
        }

        var alive = new HashSet<string>(walked.Select(static w => w.FullPath), StringComparer.Ordinal);
        foreach (var key in _entries.Keys)
        {
            if (!alive.Contains(key) && _entries.TryRemove(key, out var gone) && gone.Text is not null)
            {
                Interlocked.Add(ref _bytes, -2L * gone.Text.Length);
            }
        }
    }

    private void Remember(in WorkspaceEntry file, string? text)
    {
        var entry = new Entry(file.Length, file.LastWriteTimeUtc, text);
        var added = text is null ? 0 : 2L * text.Length;
        _entries.AddOrUpdate(
            file.FullPath,
            _ => { Interlocked.Add(ref _bytes, added); return entry; },
            (_, old) => { Interlocked.Add(ref _bytes, added - (old.Text is null ? 0 : 2L * old.Text.Length)); return entry; });
    }

    private static int ReadAll(Microsoft.Win32.SafeHandles.SafeFileHandle handle, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = RandomAccess.Read(handle, buffer[total..], total);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    private sealed record Entry(long Length, DateTime LastWrite, string? Text);
}

/// <summary>Receives the text of one file.</summary>
internal delegate void ContentAction<in TState>(ReadOnlySpan<char> text, TState state);
