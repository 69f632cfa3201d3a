using System.Buffers;
using System.Text;

namespace Memfun.Engine.Repl;

/// <summary>
/// Reads the UTF-8 protocol lines a REPL host writes, refusing any line longer than a cap before it is
/// held in memory: a host that writes without a newline costs the server at most the cap.
/// </summary>
/// <remarks>Not thread-safe: one reader loop owns it.</remarks>
internal sealed class ReplLineReader
{
    private readonly Stream _stream;
    private readonly long _maxBytes;
    private readonly byte[] _chunk = new byte[1 << 16];
    private readonly ArrayBufferWriter<byte> _line = new(1 << 12);
    private int _start;
    private int _end;

    public ReplLineReader(Stream stream, long maxBytes)
    {
        _stream = stream;
        _maxBytes = maxBytes;
    }

    /// <summary>The next line without its newline; null at the end of the stream (a last line without newline is returned).</summary>
    /// <exception cref="ReplMessageTooLargeException">The line is longer than the cap.</exception>
    public async Task<string?> ReadLineAsync()
    {
        _line.ResetWrittenCount();
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = await _stream.ReadAsync(_chunk).ConfigureAwait(false);
                if (_end == 0)
                {
                    return _line.WrittenCount > 0 ? Decode() : null;
                }
            }

            var span = _chunk.AsSpan(_start, _end - _start);
            var newline = span.IndexOf((byte)'\n');
            var take = newline < 0 ? span : span[..newline];
            if (_line.WrittenCount + take.Length > _maxBytes)
            {
                throw new ReplMessageTooLargeException();
            }

            _line.Write(take);
            _start += take.Length;
            if (newline >= 0)
            {
                _start++;
                return Decode();
            }
        }
    }

    private string Decode()
    {
        var bytes = _line.WrittenSpan;
        if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
        }

        return Encoding.UTF8.GetString(bytes);
    }
}
