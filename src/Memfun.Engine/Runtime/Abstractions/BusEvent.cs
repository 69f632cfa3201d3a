using System.Text;

namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>One event delivered by <see cref="IEventBus"/>.</summary>
/// <param name="Topic">The topic it was published on.</param>
/// <param name="Data">The payload, as published.</param>
/// <param name="Sequence">Its position in the tier's log (increasing; 0 is never used).</param>
/// <param name="Timestamp">When the tier accepted it.</param>
public sealed record BusEvent(string Topic, ReadOnlyMemory<byte> Data, long Sequence, DateTimeOffset Timestamp)
{
    /// <summary>The payload decoded as UTF-8.</summary>
    public string Text => Encoding.UTF8.GetString(Data.Span);
}
