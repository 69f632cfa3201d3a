using System.Text;

namespace Memfun.Engine.Repl.Host;

/// <summary>
/// Captures what a step prints, keeping the first and the last characters up to a cap and counting
/// what falls between, so a script printing in a loop cannot exhaust memory or flood the protocol.
/// </summary>
/// <remarks>Thread-safe: scripts may print from several threads.</remarks>
internal sealed class BoundedOutputWriter(int limit) : TextWriter
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _head = new();
    private readonly StringBuilder _tail = new();
    private readonly int _headLimit = Math.Max(1, limit / 2);
    private readonly int _tailLimit = Math.Max(1, limit - (limit / 2));
    private long _total;

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>Characters written but not kept.</summary>
    public long Cut
    {
        get
        {
            lock (_gate)
            {
                return Math.Max(0, _total - _head.Length - Math.Min(_tail.Length, _tailLimit));
            }
        }
    }

    public override void Write(char value)
    {
        lock (_gate)
        {
            Append(value.ToString());
        }
    }

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        lock (_gate)
        {
            Append(value);
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (_gate)
        {
            Append(new string(buffer, index, count));
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            Append(value ?? string.Empty);
            Append(NewLine);
        }
    }

    /// <summary>The kept text, with a marker where characters were cut.</summary>
    public override string ToString()
    {
        lock (_gate)
        {
            var tailKept = Math.Min(_tail.Length, _tailLimit);
            var cut = _total - _head.Length - tailKept;
            if (cut <= 0 && _tail.Length == tailKept)
            {
                return _head.ToString() + _tail.ToString(_tail.Length - tailKept, tailKept);
            }

            return _head + OutputClip.Marker(cut) + _tail.ToString(_tail.Length - tailKept, tailKept);
        }
    }

    private void Append(string value)
    {
        _total += value.Length;
        var room = _headLimit - _head.Length;
        if (room > 0)
        {
            var take = Math.Min(room, value.Length);
            _head.Append(value, 0, take);
            if (take == value.Length)
            {
                return;
            }

            value = value[take..];
        }

        if (value.Length >= _tailLimit)
        {
            _tail.Clear();
            _tail.Append(value, value.Length - _tailLimit, _tailLimit);
            return;
        }

        _tail.Append(value);
        if (_tail.Length > 2 * _tailLimit)
        {
            _tail.Remove(0, _tail.Length - _tailLimit);
        }
    }
}
