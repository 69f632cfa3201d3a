using System.Text;

namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>A stored value and its revision.</summary>
public sealed record StateEntry(string Key, ReadOnlyMemory<byte> Value, long Revision)
{
    /// <summary>The value decoded as UTF-8.</summary>
    public string Text => Encoding.UTF8.GetString(Value.Span);
}
