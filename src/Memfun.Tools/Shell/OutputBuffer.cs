using System.Text;

namespace Memfun.Tools.Shell;

/// <summary>Collects process output up to a cap, keeping its tail (or head), and counts what it drops.</summary>
/// <remarks>Thread-safe: appends and reads take a lock.</remarks>
internal sealed class OutputBuffer(int cap, bool keepTail)
{
    private readonly StringBuilder _text = new();
    private readonly Lock _gate = new();
    private long _total;
    private long _lines;

    public long Lines
    {
        get { lock (_gate) { return _lines; } }
    }

    public void Append(ReadOnlySpan<char> chunk)
    {
        lock (_gate)
        {
            _total += chunk.Length;
            _lines += chunk.Count('\n');
            if (keepTail)
            {
                _text.Append(chunk);
                if (_text.Length > Math.Max(cap * 2, 64 * 1024))
                {
                    _text.Remove(0, _text.Length - cap);
                }
            }
            else if (_text.Length < cap)
            {
                _text.Append(chunk[..Math.Min(chunk.Length, cap - _text.Length)]);
            }
        }
    }

    /// <summary>The kept text and the number of characters dropped.</summary>
    public (string Text, long Omitted) Snapshot()
    {
        lock (_gate)
        {
            if (_text.Length > cap)
            {
                _text.Remove(0, _text.Length - cap);
            }

            return (_text.ToString(), _total - _text.Length);
        }
    }
}
