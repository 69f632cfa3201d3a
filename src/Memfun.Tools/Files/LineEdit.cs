namespace Memfun.Tools.Files;

/// <summary>Replace <see cref="Count"/> lines of a region from <see cref="First"/> (0-based, region-relative) with <see cref="Lines"/>; a count of 0 inserts.</summary>
internal readonly record struct LineEdit(int First, int Count, string[] Lines);
