namespace StatsApp;

public static class Stats
{
    public static double Mean(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("No values.", nameof(values));
        }

        return values.Average();
    }
}
