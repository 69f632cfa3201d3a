namespace Memfun.Tools.Files;

/// <summary>
/// Pairs the lines of a model's <c>old_text</c> with the lines of the file region it was matched to,
/// so a change can be applied to the file's real lines even where the model's copy drifted (a slipped
/// letter, a line missing or added).
/// </summary>
/// <remarks>
/// Pure and thread-safe. A weighted longest-common-subsequence over whitespace-normalised lines: two lines
/// may pair when they are at least <see cref="MinSimilarity"/> alike, and the alignment maximises the sum of
/// the paired lines' similarities. The search stays in a band around the diagonal, since a fuzzy region
/// differs from old_text by a few lines at most.
/// </remarks>
internal static class LineAlignment
{
    /// <summary>Lines less alike than this never pair.</summary>
    public const double MinSimilarity = 0.6;

    /// <summary>For each line of <paramref name="model"/>, the index of its partner in <paramref name="file"/>, or -1.</summary>
    /// <param name="model">The model's lines, whitespace-normalised.</param>
    /// <param name="file">The file's lines, whitespace-normalised.</param>
    /// <param name="similarity">Receives each pair's similarity (1 for equal lines), indexed like the result.</param>
    public static int[] Align(IReadOnlyList<string> model, IReadOnlyList<string> file, out double[] similarity)
    {
        int n = model.Count, m = file.Count;
        var band = Math.Abs(n - m) + 4 + (Math.Max(n, m) / 10);
        var score = new double[n + 1, m + 1];
        var sims = new double[n + 1, m + 1];
        for (var i = 1; i <= n; i++)
        {
            var centre = (int)Math.Round((double)i * m / Math.Max(1, n));
            for (var j = 1; j <= m; j++)
            {
                var best = Math.Max(score[i - 1, j], score[i, j - 1]);
                if (Math.Abs(j - centre) <= band)
                {
                    var s = Similarity(model[i - 1], file[j - 1]);
                    sims[i, j] = s;
                    if (s >= MinSimilarity)
                    {
                        best = Math.Max(best, score[i - 1, j - 1] + s);
                    }
                }

                score[i, j] = best;
            }
        }

        var pairs = new int[n];
        similarity = new double[n];
        Array.Fill(pairs, -1);
        for (int i = n, j = m; i > 0 && j > 0;)
        {
            var s = sims[i, j];
            if (s >= MinSimilarity && Math.Abs(score[i, j] - (score[i - 1, j - 1] + s)) < 1e-9
                && score[i, j] > Math.Max(score[i - 1, j], score[i, j - 1]) - 1e-9)
            {
                pairs[i - 1] = j - 1;
                similarity[i - 1] = s;
                i--;
                j--;
            }
            else if (score[i - 1, j] >= score[i, j - 1])
            {
                i--;
            }
            else
            {
                j--;
            }
        }

        return pairs;
    }

    /// <summary>1 − edit distance ÷ the longer length; 1 for two equal (or two empty) lines.</summary>
    public static double Similarity(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return 1;
        }

        var longer = Math.Max(a.Length, b.Length);
        var bound = (int)Math.Ceiling(longer * (1 - MinSimilarity));
        var d = Levenshtein.Distance(a, b, bound);
        return d > bound ? 0 : 1 - ((double)d / longer);
    }
}
