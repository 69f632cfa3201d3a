using System.Globalization;
using StackExchange.Redis;

namespace Memfun.Bench.Runtime;

/// <summary>The server's command statistics (<c>INFO commandstats</c>), to show which commands a scenario sends per
/// operation and the server time they take (<c>runtime --commands</c>).</summary>
/// <remarks>Commands a script runs are counted too, and their time is also inside the script's own.</remarks>
internal static class RedisCommandCount
{
    public static async Task<Dictionary<string, (long Calls, long Usec)>> ReadAsync(IDatabase db)
    {
        var stats = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        // cmdstat_xadd:calls=123,usec=456,usec_per_call=...
        foreach (var line in ((string)(await db.ExecuteAsync("INFO", "commandstats"))!).Split('\n'))
        {
            if (line.StartsWith("cmdstat_", StringComparison.Ordinal))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var fields = line[(colon + 1)..].Split(',');
                stats[line[8..colon]] = (long.Parse(fields[0]["calls=".Length..], CultureInfo.InvariantCulture),
                    long.Parse(fields[1]["usec=".Length..], CultureInfo.InvariantCulture));
            }
        }

        return stats;
    }

    /// <summary>"xadd 1 (2.1 µs), ...": calls per operation and server microseconds per operation, busiest first.</summary>
    public static string PerOp(Dictionary<string, (long Calls, long Usec)> before, Dictionary<string, (long Calls, long Usec)> after, int count) =>
        string.Join(", ", after
            .Select(a => (a.Key, Calls: a.Value.Calls - before.GetValueOrDefault(a.Key).Calls, Usec: a.Value.Usec - before.GetValueOrDefault(a.Key).Usec))
            .Where(a => a.Calls > 0 && a.Key != "info")
            .OrderByDescending(a => a.Calls)
            .Select(a => string.Create(CultureInfo.InvariantCulture, $"{a.Key} {(double)a.Calls / count:0.###} ({(double)a.Usec / count:0.0} µs)")));
}
