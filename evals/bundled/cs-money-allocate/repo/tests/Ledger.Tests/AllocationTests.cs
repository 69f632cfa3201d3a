using Ledger;

public sealed class AllocationTests
{
    [Test]
    public void SplitsEvenAmountEqually() =>
        Assert.Sequence(new[] { 2500L, 2500L, 2500L, 2500L },
            Allocation.Split(Money.Of(100m, Currency.Eur), 4).Select(m => m.MinorUnits));

    [Test]
    public void ByRatiosEvenCase() =>
        Assert.Sequence(new[] { 7000L, 3000L },
            Allocation.ByRatios(Money.Of(100m, Currency.Eur), [7, 3]).Select(m => m.MinorUnits));

    [Test]
    public void RejectsAllZeroRatios() =>
        Assert.Throws<ArgumentException>(() => Allocation.ByRatios(Money.Of(1m, Currency.Eur), [0, 0]));

    [Test]
    public void RejectsZeroParts() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Allocation.Split(Money.Of(1m, Currency.Eur), 0));
}
