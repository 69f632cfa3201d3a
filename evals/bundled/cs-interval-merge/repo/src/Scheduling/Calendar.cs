namespace Scheduling;

/// <summary>A person's busy slots on one day, and the meetings that fit around them.</summary>
public sealed class Calendar(string owner)
{
    private readonly List<TimeSlot> _busy = [];

    public string Owner { get; } = owner;

    public Calendar Busy(string slot)
    {
        _busy.Add(TimeSlot.Parse(slot));
        return this;
    }

    public IReadOnlyList<TimeSlot> BusySlots => SlotMath.Merge(_busy);

    /// <summary>Free slots of at least <paramref name="minimum"/> within working hours, shared by all calendars.</summary>
    public static IReadOnlyList<TimeSlot> CommonFree(TimeSlot workingHours, TimeSpan minimum, params Calendar[] calendars) =>
        SlotMath.Free(workingHours, calendars.SelectMany(c => c._busy))
            .Where(slot => slot.Duration >= minimum)
            .ToList();
}
