using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;
using Memfun.Tools.Workspace;

namespace Memfun.Tools.Files;

/// <summary>
/// Reads one page of a text file as numbered lines, streaming: only the bytes up to the page end are
/// read for files over <see cref="FullScanLimit"/>, so a file of any size costs one page of memory.
/// </summary>
/// <remarks>
/// Thread-safe. Binary files are refused with their size and a type guess; files that are not valid
/// UTF-8 are decoded as Windows-1252 and say so; UTF-16 files with a byte-order mark (up to
/// <see cref="FullScanLimit"/>) are decoded and shown like UTF-8 text, and say so. Lines over <see cref="MaxLineChars"/> characters are
/// cut with a marker; a page stops at <see cref="DefaultLimit"/> lines or <see cref="MaxPageChars"/>
/// characters, whichever comes first, and its footer gives the offset of the next page.
/// </remarks>
internal sealed class FileReader(PathGuard guard, ReadCache cache)
{
    public const int DefaultLimit = 2000;
    public const int MaxLimit = 10_000;
    public const int MaxLineChars = 2000;
    public const int MaxPageChars = 100_000;

    /// <summary>Files up to this size are scanned whole on each read (to count lines and hash the content).</summary>
    public const long FullScanLimit = 64L * 1024 * 1024;

    private const int MaxLineBytes = MaxLineChars * 4;
    private const int BufferSize = 64 * 1024;

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>Reads a page of <paramref name="path"/>.</summary>
    /// <param name="path">Untrusted path, relative to the workspace.</param>
    /// <param name="offset">1-based first line; null means 1.</param>
    /// <param name="limit">Lines to show; null means <see cref="DefaultLimit"/>; capped at <see cref="MaxLimit"/>.</param>
    /// <param name="force">Show the content even when the session has seen it unchanged.</param>
    /// <param name="session">The caller's session key (read cache scope); null disables the cache.</param>
    /// <param name="cancellationToken">Stops the scan.</param>
    public ReadFileResult Read(string path, long? offset, int? limit, bool force, string? session, CancellationToken cancellationToken = default)
    {
        var full = guard.Resolve(path);
        var display = guard.Display(full);
        var start = offset ?? 1;
        if (start < 1 || start > int.MaxValue)
        {
            throw new MemfunToolException($"offset must be 1 or more (it is the 1-based line to start at); got {start}.");
        }

        var max = limit ?? DefaultLimit;
        if (max < 1)
        {
            throw new MemfunToolException($"limit must be 1 or more (the number of lines to show); got {max}.");
        }

        max = Math.Min(max, MaxLimit);

        using var file = OpenRead(full, path, display, out var facts);
        var length = facts.Length;
        var sample = new byte[(int)Math.Min(BinarySniffer.SampleSize, length)];
        file.ReadExactly(sample);
        Stream stream = file;
        string? utf16 = null;
        if (TextFileFormat.Utf16FromBom(sample) is { } wide)
        {
            // UTF-16 text (Windows tools write it) is shown like any text: decoded once and paged as UTF-8.
            if (length > FullScanLimit)
            {
                throw new MemfunToolException($"'{display}' is UTF-16 text of {ByteSize.Format(length)}; read_file pages UTF-16 files up to {ByteSize.Format(FullScanLimit)}. Convert it first, e.g. with run_cmd `iconv -f UTF-16 -t UTF-8`.");
            }

            file.Position = 0;
            var bytes = new byte[length];
            file.ReadExactly(bytes);
            stream = new MemoryStream(Encoding.UTF8.GetBytes(wide.GetString(bytes, wide.Preamble.Length, bytes.Length - wide.Preamble.Length)), writable: false);
            sample = [];
            utf16 = wide.CodePage == Encoding.BigEndianUnicode.CodePage ? "UTF-16 BE with BOM" : "UTF-16 LE with BOM";
        }
        else if (BinarySniffer.LooksBinary(sample))
        {
            throw new MemfunToolException(
                $"'{display}' is a binary file ({ByteSize.Format(length)}, looks like: {BinarySniffer.GuessType(sample)}); read_file shows text only. " +
                "Inspect it with run_cmd (e.g. `file`, `xxd | head`), or read a related text file instead.");
        }

        stream.Position = 0;
        var scan = Scan(stream, start, max, length <= FullScanLimit, cancellationToken);
        if (!ReferenceEquals(stream, file))
        {
            stream.Dispose();
        }

        if (scan.TotalLines is { } total && start > Math.Max(total, 1))
        {
            throw new MemfunToolException($"offset {start} is past the end of '{display}', which has {total} lines. Use an offset from 1 to {Math.Max(total, 1)}.");
        }

        if (scan.TotalLines is null && scan.Lines.Count == 0)
        {
            throw new MemfunToolException($"offset {start} is past the end of '{display}' ({ByteSize.Format(length)}, {scan.LinesSeen} lines). Use a smaller offset.");
        }

        var utf8 = utf16 is not null || (Utf8.IsValid(TrimPartialChar(sample)) && scan.Lines.TrueForAll(l => Utf8.IsValid(l.Bytes)));
        var encoding = utf8 ? Encoding.UTF8 : TextFileFormat.Windows1252;
        var encodingName = utf16 ?? (utf8 ? (sample.AsSpan().StartsWith(Utf8Bom) ? "UTF-8 with BOM" : "UTF-8") : "Windows-1252 (not valid UTF-8; decoded as Windows-1252)");

        string hash;
        if (scan.Hash is { } fullHash)
        {
            hash = fullHash;
        }
        else
        {
            using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            h.AppendData(BitConverter.GetBytes(length));
            h.AppendData(BitConverter.GetBytes(facts.LastWriteTimeUtc.Ticks));
            foreach (var l in scan.Lines)
            {
                h.AppendData(l.Bytes);
            }

            hash = Convert.ToHexStringLower(h.GetHashAndReset())[..12];
        }

        var first = scan.Lines.Count == 0 ? 0 : (int)start;
        var last = scan.Lines.Count == 0 ? 0 : (int)(start + scan.Lines.Count - 1);
        long? next = scan.Lines.Count > 0 && (scan.TotalLines is null ? scan.MoreAfter : last < scan.TotalLines) ? last + 1 : null;
        var of = scan.TotalLines is { } t ? t.ToString(CultureInfo.InvariantCulture) : $"? (file too large to count lines on every read: {ByteSize.Format(length)})";
        var range = string.Create(CultureInfo.InvariantCulture, $"lines {first}-{last} of {of}");

        if (session is not null && cache.Remember(session, full, string.Create(CultureInfo.InvariantCulture, $"{start}:{max}"), hash) && !force)
        {
            return new ReadFileResult(display, $"[{display}: unchanged since your last read ({range}, sha256 {hash}). The content you already have is current; pass force=true to see it again.]",
                first, last, scan.TotalLines, length, encodingName, hash, Unchanged: true, next);
        }

        var text = Format(display, scan, start, encoding, encodingName, length, hash, range, next);
        return new ReadFileResult(display, text, first, last, scan.TotalLines, length, encodingName, hash, Unchanged: false, next);
    }

    private static string Format(string display, ScanResult scan, long start, Encoding encoding, string encodingName, long length, string hash, string range, long? next)
    {
        var sb = new StringBuilder();
        if (length == 0)
        {
            return $"[{display}: empty file (0 bytes)]";
        }

        var eol = scan.SawCrLf ? " · CRLF" : string.Empty;
        sb.Append(CultureInfo.InvariantCulture, $"[{display}: {range} · {encodingName}{eol} · {ByteSize.Format(length)} · sha256 {hash}]\n");
        var n = start;
        foreach (var line in scan.Lines)
        {
            var text = encoding.GetString(line.Bytes);
            var cut = line.TotalBytes > line.Bytes.Length;
            if (text.Length > MaxLineChars)
            {
                text = text[..MaxLineChars];
                cut = true;
            }

            sb.Append(CultureInfo.InvariantCulture, $"{n,6}\t").Append(text);
            if (cut)
            {
                sb.Append(CultureInfo.InvariantCulture, $" … [line truncated: {line.TotalBytes} bytes in total]");
            }

            sb.Append('\n');
            n++;
        }

        if (next is { } nx)
        {
            var more = scan.TotalLines is { } total ? string.Create(CultureInfo.InvariantCulture, $"{total - nx + 1} more lines") : "more lines";
            var why = scan.StoppedForSize ? $" (page cut at {MaxPageChars} characters)" : string.Empty;
            sb.Append(CultureInfo.InvariantCulture, $"[{more} after line {nx - 1}{why}: call read_file with offset={nx} to continue]");
        }
        else
        {
            sb.Append("[end of file]");
        }

        return sb.ToString();
    }

    /// <summary>Opens the file in one step with its check (<see cref="SafeFile"/>): regular files only, never outside the workspace.</summary>
    private FileStream OpenRead(string full, string path, string display, out SafeFileFacts facts)
    {
        try
        {
            var handle = SafeFile.OpenRead(guard.Roots, full, display, out facts);
            return new FileStream(handle, FileAccess.Read, 1);
        }
        catch (SafeFileException ex) when (ex.Error == SafeFileError.NotFound)
        {
            throw new MemfunToolException($"The file '{path}' does not exist (resolved to '{display}'). Use list_files or search to find the right path.", ex);
        }
        catch (SafeFileException ex) when (ex.Error == SafeFileError.Directory)
        {
            throw new MemfunToolException($"'{path}' is a directory, not a file. Use list_files to see what it contains.", ex);
        }
        catch (SafeFileException ex) when (ex.Error == SafeFileError.Denied)
        {
            throw new MemfunToolException($"'{path}' cannot be read: permission denied.", ex);
        }
    }

    private static ScanResult Scan(Stream stream, long start, int max, bool fullScan, CancellationToken cancellationToken)
    {
        var result = new ScanResult();
        using var hash = fullScan ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long line = 1;
            var current = new ArrayBufferWriter<byte>();
            long currentBytes = 0;
            var pageChars = 0;
            var pageDone = false;
            var lastByte = -1;
            int read;
            while ((read = stream.Read(buffer, 0, BufferSize)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                hash?.AppendData(buffer, 0, read);
                lastByte = buffer[read - 1];
                var span = buffer.AsSpan(0, read);
                while (!span.IsEmpty)
                {
                    if (pageDone || line < start)
                    {
                        if (pageDone && !fullScan)
                        {
                            result.MoreAfter = true;
                            goto done;
                        }

                        // Outside the page: only count line breaks.
                        if (line < start)
                        {
                            // Whole chunks before the page: one vectorised count instead of a search per line.
                            var breaks = span.Count((byte)'\n');
                            var skip = start - line;
                            if (breaks < skip)
                            {
                                line += breaks;
                                break;
                            }

                            // The page starts in this chunk: step over the last lines before it.
                            for (long k = 0; k < skip; k++)
                            {
                                span = span[(span.IndexOf((byte)'\n') + 1)..];
                            }

                            line = start;
                            continue;
                        }

                        line += span.Count((byte)'\n');
                        break;
                    }

                    var i = span.IndexOf((byte)'\n');
                    var piece = i < 0 ? span : span[..i];
                    var room = MaxLineBytes - current.WrittenCount;
                    if (room > 0)
                    {
                        current.Write(piece[..Math.Min(room, piece.Length)]);
                    }

                    currentBytes += piece.Length;
                    if (i < 0)
                    {
                        break;
                    }

                    // A whole line is in `current`.
                    pageChars += Finish(result, current, currentBytes, line == 1);
                    currentBytes = 0;
                    line++;
                    span = span[(i + 1)..];
                    if (result.Lines.Count >= max || pageChars >= MaxPageChars)
                    {
                        result.StoppedForSize = result.Lines.Count < max;
                        pageDone = true;
                    }
                }
            }

            // A last line without a trailing newline.
            if (!pageDone && line >= start && (current.WrittenCount > 0 || currentBytes > 0))
            {
                Finish(result, current, currentBytes, line == 1);
            }

            result.LinesSeen = line - 1 + (lastByte is >= 0 and not '\n' ? 1 : 0);
            // The whole file was read: the count is exact.
            result.TotalLines = result.LinesSeen;
            if (fullScan)
            {
                result.Hash = Convert.ToHexStringLower(hash!.GetHashAndReset())[..12];
            }

        done:
            return result;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int Finish(ScanResult result, ArrayBufferWriter<byte> current, long totalBytes, bool firstLine)
    {
        ReadOnlySpan<byte> bytes = current.WrittenSpan;
        if (firstLine && bytes.StartsWith(Utf8Bom))
        {
            bytes = bytes[3..];
            totalBytes -= 3;
        }

        if (!bytes.IsEmpty && bytes[^1] == (byte)'\r' && bytes.Length == totalBytes)
        {
            bytes = bytes[..^1];
            totalBytes--;
            result.SawCrLf = true;
        }

        if (bytes.Length < totalBytes)
        {
            bytes = TrimPartialChar(bytes);
        }

        result.Lines.Add(new PageLine(bytes.ToArray(), totalBytes));
        current.Clear();
        return Math.Min(bytes.Length, MaxLineChars) + 8;
    }

    /// <summary>Drops a UTF-8 sequence cut at the end of <paramref name="bytes"/> (so a truncated line still validates).</summary>
    private static ReadOnlySpan<byte> TrimPartialChar(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.Length;
        var back = 0;
        while (end > 0 && back < 3 && (bytes[end - 1] & 0xC0) == 0x80)
        {
            end--;
            back++;
        }

        if (end > 0 && bytes[end - 1] >= 0xC0)
        {
            var needed = bytes[end - 1] >= 0xF0 ? 3 : bytes[end - 1] >= 0xE0 ? 2 : 1;
            return needed == back ? bytes : bytes[..(end - 1)];
        }

        return bytes;
    }

    private readonly record struct PageLine(byte[] Bytes, long TotalBytes);

    private sealed class ScanResult
    {
        public List<PageLine> Lines { get; } = [];

        public long? TotalLines { get; set; }

        public long LinesSeen { get; set; }

        public string? Hash { get; set; }

        public bool MoreAfter { get; set; }

        public bool StoppedForSize { get; set; }

        public bool SawCrLf { get; set; }
    }
}
