using System.Globalization;

namespace Memfun.Engine.Repl;

/// <summary>Shortens text to a head and a tail with the count of what was cut between them.</summary>
internal static class OutputClip
{
    /// <summary>The marker placed where text was cut; {0} is the number of characters removed.</summary>
    public const string MarkerFormat = "\n[... {0} characters cut ...]\n";

    /// <summary>Returns <paramref name="text"/> when it fits in <paramref name="max"/> characters, else its head and tail.</summary>
    public static string Clip(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= max || max <= 0)
        {
            return text;
        }

        var head = max / 2;
        var tail = max - head;
        var cut = text.Length - head - tail;
        return string.Concat(text.AsSpan(0, head), Marker(cut), text.AsSpan(text.Length - tail));
    }

    public static string Marker(long cut) => string.Format(CultureInfo.InvariantCulture, MarkerFormat, cut);
}
