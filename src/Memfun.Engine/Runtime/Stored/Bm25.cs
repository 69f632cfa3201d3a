namespace Memfun.Engine.Runtime.Stored;

/// <summary>BM25 scoring of a small in-memory corpus (k1 = 1.2, b = 0.75).</summary>
internal static class Bm25
{
    /// <summary>Scores each document (its tokens) against the query terms; 0 when no term occurs.</summary>
    public static double[] Score(IReadOnlyList<List<string>> documents, IReadOnlyCollection<string> terms)
    {
        const double k1 = 1.2, b = 0.75;
        var n = documents.Count;
        var scores = new double[n];
        if (n == 0 || terms.Count == 0)
        {
            return scores;
        }

        var avg = documents.Average(d => (double)d.Count);
        foreach (var term in terms.Distinct(StringComparer.Ordinal))
        {
            var df = documents.Count(d => d.Contains(term, StringComparer.Ordinal));
            if (df == 0)
            {
                continue;
            }

            var idf = Math.Log(1 + ((n - df + 0.5) / (df + 0.5)));
            for (var i = 0; i < n; i++)
            {
                var tf = documents[i].Count(t => t == term);
                if (tf > 0)
                {
                    scores[i] += idf * (tf * (k1 + 1)) / (tf + (k1 * (1 - b + (b * documents[i].Count / Math.Max(avg, 1)))));
                }
            }
        }

        return scores;
    }
}
