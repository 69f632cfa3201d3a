using System.Buffers;

namespace Memfun.Tools.Web;

/// <summary>
/// The growable character buffer <see cref="MarkdownWriter"/> writes into, rented from <see cref="ArrayPool{T}.Shared"/>:
/// a conversion allocates no buffer of its own in the steady state, only its result string.
/// </summary>
/// <remarks>
/// Not thread-safe; <see cref="Dispose"/> returns the array to the pool, after which the buffer must not be used.
/// Allocating less while a freshly parsed DOM is young matters: each collection it triggers copies the DOM.
/// </remarks>
internal sealed class MarkdownBuffer(int capacity) : IDisposable
{
    private char[] _chars = ArrayPool<char>.Shared.Rent(Math.Max(capacity, 256));
    private int _length;

    /// <summary>The number of characters written; setting a smaller value drops the end.</summary>
    public int Length
    {
        get => _length;
        set
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, _length);
            _length = value;
        }
    }

    /// <summary>The character at <paramref name="index"/>.</summary>
    public char this[int index] => _chars.AsSpan(0, _length)[index];

    /// <summary>Appends one character.</summary>
    public MarkdownBuffer Append(char ch)
    {
        if (_length == _chars.Length)
        {
            Grow(1);
        }

        _chars[_length++] = ch;
        return this;
    }

    /// <summary>Appends characters.</summary>
    public MarkdownBuffer Append(ReadOnlySpan<char> text)
    {
        if (_length + text.Length > _chars.Length)
        {
            Grow(text.Length);
        }

        text.CopyTo(_chars.AsSpan(_length));
        _length += text.Length;
        return this;
    }

    /// <summary>The characters from <paramref name="start"/>, <paramref name="length"/> of them; valid until the next write.</summary>
    public ReadOnlySpan<char> Slice(int start, int length) => _chars.AsSpan(start, length);

    /// <summary>Inserts <paramref name="ch"/> before each occurrence of <paramref name="target"/> written since <paramref name="start"/>, in place.</summary>
    public void PrefixEach(int start, char target, char ch)
    {
        var count = _chars.AsSpan(start, _length - start).Count(target);
        if (count == 0)
        {
            return;
        }

        if (_length + count > _chars.Length)
        {
            Grow(count);
        }

        // From the end backwards: each character moves right by the number of targets at or before it.
        var write = _length + count;
        for (var read = _length - 1; read >= start; read--)
        {
            var c = _chars[read];
            _chars[--write] = c;
            if (c == target)
            {
                _chars[--write] = ch;
            }
        }

        _length += count;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        var chars = _chars;
        _chars = [];
        _length = 0;
        if (chars.Length > 0)
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private void Grow(int needed)
    {
        var bigger = ArrayPool<char>.Shared.Rent(Math.Max(_chars.Length * 2, _length + needed));
        _chars.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<char>.Shared.Return(_chars);
        _chars = bigger;
    }
}
