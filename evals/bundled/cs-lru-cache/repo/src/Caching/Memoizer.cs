namespace Caching;

/// <summary>Wraps a function with an LRU cache of its results.</summary>
public static class Memoizer
{
    public static Func<TIn, TOut> Memoize<TIn, TOut>(Func<TIn, TOut> function, int capacity) where TIn : notnull
    {
        var cache = new LruCache<TIn, TOut>(capacity);
        return input =>
        {
            if (cache.TryGet(input, out var cached))
            {
                return cached;
            }
            var result = function(input);
            cache.Set(input, result);
            return result;
        };
    }
}
