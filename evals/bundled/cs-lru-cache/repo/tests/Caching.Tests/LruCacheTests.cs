using Caching;

public sealed class LruCacheTests
{
    [Test]
    public void StoresAndReads()
    {
        var cache = new LruCache<string, int>(2);
        cache.Set("a", 1);
        Assert.True(cache.TryGet("a", out var value), "hit");
        Assert.Equal(1, value);
        Assert.Equal(1L, cache.Statistics.Hits);
    }

    [Test]
    public void EvictsOldestWhenFull()
    {
        var cache = new LruCache<string, int>(2);
        var evicted = new List<string>();
        cache.Evicted += (key, _) => evicted.Add(key);
        cache.Set("a", 1);
        cache.Set("b", 2);
        cache.Set("c", 3);
        Assert.Sequence(new[] { "a" }, evicted);
        Assert.True(!cache.TryGet("a", out _), "a evicted");
    }

    [Test]
    public void RemoveForgetsEntry()
    {
        var cache = new LruCache<int, string>(3);
        cache.Set(1, "x");
        Assert.True(cache.Remove(1), "removed");
        Assert.Equal(0, cache.Count);
        Assert.True(!cache.Remove(1), "second remove is false");
    }

    [Test]
    public void MemoizerCallsOncePerInput()
    {
        var calls = 0;
        var square = Memoizer.Memoize<int, int>(x => { calls++; return x * x; }, 4);
        square(3);
        square(3);
        Assert.Equal(1, calls);
    }

    [Test]
    public void RejectsZeroCapacity() => Assert.Throws<ArgumentOutOfRangeException>(() => new LruCache<int, int>(0));
}
