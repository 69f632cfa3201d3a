namespace Memfun.Tools.Files;

/// <summary>Edit distance between two strings, with an optional bound that stops early (Ukkonen's band).</summary>
/// <remarks>Stateless and thread-safe; O(len(a) × min(len(b), 2·max+1)) time, O(len(b)) memory.</remarks>
internal static class Levenshtein
{
    /// <summary>The edit distance, or <paramref name="max"/> + 1 when it is larger than <paramref name="max"/>.</summary>
    public static int Distance(ReadOnlySpan<char> a, ReadOnlySpan<char> b, int max)
    {
        int n = a.Length, m = b.Length;
        if (Math.Abs(n - m) > max)
        {
            return max + 1;
        }

        var over = max + 1;
        var prev = new int[m + 2];
        var cur = new int[m + 2];
        for (var j = 0; j <= m; j++)
        {
            prev[j] = Math.Min(j, over);
        }

        prev[m + 1] = over;
        for (var i = 1; i <= n; i++)
        {
            var lo = Math.Max(1, i - max);
            var hi = Math.Min(m, i + max);
            cur[0] = Math.Min(i, over);
            if (lo > 1)
            {
                cur[lo - 1] = over;
            }

            var rowMin = lo == 1 ? cur[0] : over;
            var ai = a[i - 1];
            for (var j = lo; j <= hi; j++)
            {
                var v = prev[j - 1] + (ai == b[j - 1] ? 0 : 1);
                var up = prev[j] + 1;
                if (up < v)
                {
                    v = up;
                }

                var left = cur[j - 1] + 1;
                if (left < v)
                {
                    v = left;
                }

                cur[j] = v > over ? over : v;
                if (cur[j] < rowMin)
                {
                    rowMin = cur[j];
                }
            }

            cur[hi + 1] = over;
            if (rowMin > max)
            {
                return over;
            }

            (prev, cur) = (cur, prev);
        }

        return Math.Min(prev[m], over);
    }

    /// <summary>1 − distance / longer length: 1 for equal strings, 0 for nothing in common.</summary>
    public static double Similarity(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        var longer = Math.Max(a.Length, b.Length);
        return longer == 0 ? 1 : 1 - ((double)Distance(a, b, longer) / longer);
    }
}
