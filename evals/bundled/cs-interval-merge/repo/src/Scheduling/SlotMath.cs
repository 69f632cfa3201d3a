namespace Scheduling;

/// <summary>Operations over sets of time slots.</summary>
public static class SlotMath
{
    /// <summary>Merges overlapping slots into the smallest set of disjoint slots, ordered by start.</summary>
    public static IReadOnlyList<TimeSlot> Merge(IEnumerable<TimeSlot> slots)
    {
        var merged = new List<TimeSlot>();
        foreach (var slot in slots)
        {
            if (merged.Count > 0 && slot.Start < merged[^1].End)
            {
                var last = merged[^1];
                merged[^1] = new TimeSlot(last.Start, slot.End);
            }
            else
            {
                merged.Add(slot);
            }
        }
        return merged;
    }

    /// <summary>The free slots inside <paramref name="window"/> once <paramref name="busy"/> is taken out.</summary>
    public static IReadOnlyList<TimeSlot> Free(TimeSlot window, IEnumerable<TimeSlot> busy)
    {
        var free = new List<TimeSlot>();
        var cursor = window.Start;
        foreach (var slot in Merge(busy))
        {
            if (slot.End <= window.Start || slot.Start >= window.End)
            {
                continue;
            }
            if (slot.Start > cursor)
            {
                free.Add(new TimeSlot(cursor, slot.Start));
            }
            if (slot.End > cursor)
            {
                cursor = slot.End;
            }
        }
        if (cursor < window.End)
        {
            free.Add(new TimeSlot(cursor, window.End));
        }
        return free;
    }
}
