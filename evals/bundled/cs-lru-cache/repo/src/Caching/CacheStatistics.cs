namespace Caching;

/// <summary>Hit and miss counts of a cache.</summary>
public sealed class CacheStatistics
{
    public long Hits { get; internal set; }

    public long Misses { get; internal set; }

    public double HitRatio => Hits + Misses == 0 ? 0 : (double)Hits / (Hits + Misses);
}
