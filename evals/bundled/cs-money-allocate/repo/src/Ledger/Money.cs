namespace Ledger;

/// <summary>An amount of money held as a whole number of minor units.</summary>
public readonly record struct Money(long MinorUnits, Currency Currency)
{
    public static Money Of(decimal amount, Currency currency) =>
        new((long)Math.Round(amount * currency.MinorPerMajor, MidpointRounding.AwayFromZero), currency);

    public decimal Amount => (decimal)MinorUnits / Currency.MinorPerMajor;

    public static Money operator +(Money a, Money b)
    {
        SameCurrency(a, b);
        return a with { MinorUnits = a.MinorUnits + b.MinorUnits };
    }

    public static Money operator -(Money a, Money b)
    {
        SameCurrency(a, b);
        return a with { MinorUnits = a.MinorUnits - b.MinorUnits };
    }

    public override string ToString() =>
        $"{Amount.ToString("F" + Currency.MinorDigits, System.Globalization.CultureInfo.InvariantCulture)} {Currency.Code}";

    private static void SameCurrency(Money a, Money b)
    {
        if (a.Currency != b.Currency)
        {
            throw new InvalidOperationException($"cannot combine {a.Currency.Code} and {b.Currency.Code}");
        }
    }
}
