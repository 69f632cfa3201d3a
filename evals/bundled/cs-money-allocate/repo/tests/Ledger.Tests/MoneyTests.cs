using Ledger;

public sealed class MoneyTests
{
    [Test]
    public void OfRoundsToMinorUnits() => Assert.Equal(1235L, Money.Of(12.345m, Currency.Eur).MinorUnits);

    [Test]
    public void FormatsWithCurrencyDigits()
    {
        Assert.Equal("12.50 EUR", Money.Of(12.5m, Currency.Eur).ToString());
        Assert.Equal("1200 JPY", Money.Of(1200m, Currency.Jpy).ToString());
    }

    [Test]
    public void RefusesToMixCurrencies() =>
        Assert.Throws<InvalidOperationException>(() => _ = Money.Of(1, Currency.Eur) + Money.Of(1, Currency.Usd));
}
