namespace Ledger;

/// <summary>Splits an amount into parts, e.g. a bill between people or a payment over instalments.</summary>
public static class Allocation
{
    /// <summary>Splits <paramref name="total"/> into <paramref name="parts"/> equal parts.</summary>
    public static IReadOnlyList<Money> Split(Money total, int parts)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parts);
        return ByRatios(total, Enumerable.Repeat(1, parts).ToArray());
    }

    /// <summary>Splits <paramref name="total"/> in proportion to <paramref name="ratios"/>.</summary>
    public static IReadOnlyList<Money> ByRatios(Money total, IReadOnlyList<int> ratios)
    {
        if (ratios.Count == 0 || ratios.Any(r => r < 0) || ratios.Sum() == 0)
        {
            throw new ArgumentException("ratios must be non-negative and not all zero", nameof(ratios));
        }
        var sum = ratios.Sum();
        return ratios.Select(r => total with { MinorUnits = total.MinorUnits * r / sum }).ToList();
    }
}
