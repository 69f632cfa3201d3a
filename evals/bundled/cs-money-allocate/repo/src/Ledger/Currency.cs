namespace Ledger;

/// <summary>An ISO 4217 currency and how many minor units (cents) it has.</summary>
public sealed record Currency(string Code, int MinorDigits)
{
    public static readonly Currency Eur = new("EUR", 2);
    public static readonly Currency Usd = new("USD", 2);
    public static readonly Currency Jpy = new("JPY", 0);

    /// <summary>How many minor units make one major unit (100 for EUR, 1 for JPY).</summary>
    public long MinorPerMajor => (long)Math.Pow(10, MinorDigits);
}
