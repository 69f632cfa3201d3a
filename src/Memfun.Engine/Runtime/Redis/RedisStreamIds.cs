using System.Globalization;

namespace Memfun.Engine.Runtime.Redis;

/// <summary>Maps Redis stream ids (<c>ms-seq</c>) to the bus's <see langword="long"/> sequences and back: ms &lt;&lt; 20 | seq.</summary>
internal static class RedisStreamIds
{
    public static long ToSequence(string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        var ms = long.Parse(id.AsSpan(0, dash), CultureInfo.InvariantCulture);
        var seq = long.Parse(id.AsSpan(dash + 1), CultureInfo.InvariantCulture);
        return (ms << 20) | Math.Min(seq, (1 << 20) - 1);
    }

    public static string FromSequence(long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{sequence >> 20}-{sequence & ((1 << 20) - 1)}");
}
