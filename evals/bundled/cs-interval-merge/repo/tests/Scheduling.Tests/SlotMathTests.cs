using Scheduling;

public sealed class SlotMathTests
{
    private static TimeSlot S(string text) => TimeSlot.Parse(text);

    [Test]
    public void MergesOverlappingSortedSlots() =>
        Assert.Sequence(new[] { S("09:00-11:00"), S("13:00-14:00") },
            SlotMath.Merge([S("09:00-10:00"), S("09:30-11:00"), S("13:00-14:00")]));

    [Test]
    public void FreeSlotsAroundBusyOnes() =>
        Assert.Sequence(new[] { S("09:00-10:00"), S("11:00-17:00") },
            SlotMath.Free(S("09:00-17:00"), [S("10:00-11:00")]));

    [Test]
    public void RejectsEmptySlot() => Assert.Throws<ArgumentException>(() => S("10:00-10:00"));

    [Test]
    public void ParseNeedsADash() => Assert.Throws<FormatException>(() => S("10:00"));
}
