namespace Scheduling;

/// <summary>A half-open span of time [Start, End).</summary>
public readonly record struct TimeSlot
{
    public TimeSlot(TimeOnly start, TimeOnly end)
    {
        if (end <= start)
        {
            throw new ArgumentException($"slot end {end} must be after its start {start}");
        }
        Start = start;
        End = end;
    }

    public TimeOnly Start { get; }

    public TimeOnly End { get; }

    public TimeSpan Duration => End - Start;

    public static TimeSlot Parse(string text)
    {
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length != 2)
        {
            throw new FormatException($"expected HH:mm-HH:mm, got '{text}'");
        }
        return new TimeSlot(TimeOnly.Parse(parts[0]), TimeOnly.Parse(parts[1]));
    }

    public override string ToString() => $"{Start:HH\\:mm}-{End:HH\\:mm}";
}
