using System.Globalization;

namespace Memfun.Tools;

/// <summary>A count with its noun in the right number: "1 memory", "2 memories".</summary>
/// <remarks>Pure and thread-safe. English only; the caller gives both forms, so irregular plurals need no rules.</remarks>
public static class Plural
{
    /// <summary>"<paramref name="count"/> <paramref name="one"/>" when the count is 1, else with <paramref name="many"/>.</summary>
    public static string Of(long count, string one, string many) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {(count == 1 ? one : many)}");

    /// <summary>The same with a regular plural: <paramref name="noun"/> + "s".</summary>
    public static string Of(long count, string noun) => Of(count, noun, noun + "s");
}
