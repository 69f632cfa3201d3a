namespace Memfun.Bench.Memory;

/// <summary>
/// The reference: plain TF-IDF cosine similarity, as the seed project (and scikit-learn's TfidfVectorizer
/// defaults) compute it: lower-cased word tokens of two or more characters, raw term counts, smoothed
/// idf = ln((1 + n) / (1 + df)) + 1, L2-normalised vectors, cosine by an inverted index.
/// </summary>
internal sealed class TfidfCosineBaseline
{
    private readonly Dictionary<string, List<(int Doc, float Weight)>> _postings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, float> _idf = new(StringComparer.Ordinal);
    private readonly string[] _ids;

    public TfidfCosineBaseline(IReadOnlyList<(string Id, string Text)> docs)
    {
        _ids = [.. docs.Select(d => d.Id)];
        var counts = docs.Select(d => Tokens(d.Text).GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count())).ToList();
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in counts)
        {
            foreach (var term in c.Keys)
            {
                df[term] = df.GetValueOrDefault(term) + 1;
            }
        }

        var n = docs.Count;
        foreach (var (term, d) in df)
        {
            _idf[term] = (float)(Math.Log((1.0 + n) / (1.0 + d)) + 1.0);
        }

        for (var i = 0; i < counts.Count; i++)
        {
            var weights = counts[i].ToDictionary(kv => kv.Key, kv => kv.Value * _idf[kv.Key]);
            var norm = (float)Math.Sqrt(weights.Values.Sum(w => (double)w * w));
            foreach (var (term, w) in weights)
            {
                if (!_postings.TryGetValue(term, out var list))
                {
                    _postings[term] = list = [];
                }

                list.Add((i, w / norm));
            }
        }
    }

    public List<string> Search(string query, int k)
    {
        var q = Tokens(query).GroupBy(t => t).Where(g => _idf.ContainsKey(g.Key)).ToDictionary(g => g.Key, g => g.Count() * _idf[g.Key]);
        var norm = (float)Math.Sqrt(q.Values.Sum(w => (double)w * w));
        var scores = new Dictionary<int, float>();
        foreach (var (term, w) in q)
        {
            foreach (var (doc, dw) in _postings[term])
            {
                scores[doc] = scores.GetValueOrDefault(doc) + (w / norm * dw);
            }
        }

        return [.. scores.OrderByDescending(s => s.Value).ThenBy(s => s.Key).Take(k).Select(s => _ids[s.Key])];
    }

    internal static IEnumerable<string> Tokens(string text)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var ch in text)
        {
            if (char.IsLetterOrDigit(ch) || ch == '_')
            {
                sb.Append(char.ToLowerInvariant(ch));
            }
            else
            {
                if (sb.Length >= 2)
                {
                    yield return sb.ToString();
                }

                sb.Clear();
            }
        }

        if (sb.Length >= 2)
        {
            yield return sb.ToString();
        }
    }
}
