using System.Text;

namespace Memfun.Engine.Memory;

/// <summary>
/// Turns free text into an FTS5 query: lower-cased word tokens, stop words dropped, a light synonym
/// expansion (abbreviations developers use: db/database, k8s/kubernetes…), prefix matching on longer
/// terms, all OR-ed so BM25 ranks by how many and how rare the matched terms are. Also normalises
/// text for duplicate detection.
/// </summary>
internal static class MemoryQuery
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "but", "if", "then", "else", "of", "to", "in", "on", "at", "by", "for", "with", "from",
        "into", "onto", "about", "as", "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "doing",
        "have", "has", "had", "i", "me", "my", "we", "our", "us", "you", "your", "it", "its", "this", "that", "these", "those",
        "there", "here", "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "can", "could", "should",
        "would", "will", "shall", "may", "might", "must", "not", "no", "so", "too", "very", "just", "any", "some", "all",
        "each", "every", "other", "than", "up", "out", "over", "again", "also", "only", "own", "same", "such", "both", "few",
        "more", "most", "he", "she", "they", "them", "their", "his", "her", "get", "got", "use", "used", "using", "need",
        "needs", "want", "way", "thing", "things", "one", "make", "via", "per", "vs", "e", "g", "ie", "eg",
    };

    private static readonly Dictionary<string, string[]> Synonyms = new(StringComparer.Ordinal)
    {
        ["db"] = ["database"], ["database"] = ["db"], ["k8s"] = ["kubernetes"], ["kubernetes"] = ["k8s"],
        ["repo"] = ["repository"], ["repository"] = ["repo"], ["config"] = ["configuration"], ["configuration"] = ["config"],
        ["env"] = ["environment"], ["environment"] = ["env"], ["deps"] = ["dependencies"], ["dependency"] = ["deps"],
        ["dependencies"] = ["deps"], ["auth"] = ["authentication"], ["authentication"] = ["auth"], ["js"] = ["javascript"],
        ["javascript"] = ["js"], ["ts"] = ["typescript"], ["typescript"] = ["ts"], ["py"] = ["python"], ["python"] = ["py"],
        ["pg"] = ["postgres"], ["postgres"] = ["pg", "postgresql"], ["postgresql"] = ["postgres"], ["docs"] = ["documentation"],
        ["documentation"] = ["docs"], ["pr"] = ["pull"], ["prs"] = ["pull"], ["ci"] = ["pipeline"], ["pipeline"] = ["ci"],
        ["dir"] = ["directory", "folder"], ["directory"] = ["dir", "folder"], ["folder"] = ["directory"],
        ["msg"] = ["message"], ["message"] = ["msg"], ["err"] = ["error"], ["error"] = ["err"], ["img"] = ["image"],
        ["image"] = ["img"], ["async"] = ["asynchronous"], ["prod"] = ["production"], ["production"] = ["prod"],
        ["dev"] = ["development"], ["development"] = ["dev"], ["perf"] = ["performance"], ["performance"] = ["perf"],
        ["tz"] = ["timezone"], ["timezone"] = ["tz"], ["secret"] = ["credential"], ["secrets"] = ["credentials"],
        ["credentials"] = ["secrets"], ["fmt"] = ["format"], ["format"] = ["fmt"], ["lint"] = ["linter"], ["linter"] = ["lint"],
        ["spec"] = ["test"], ["specs"] = ["tests"], ["unittest"] = ["test"], ["cmd"] = ["command"], ["command"] = ["cmd"],
        ["cli"] = ["command"], ["api"] = ["endpoint"], ["endpoint"] = ["api"], ["deploy"] = ["release"], ["release"] = ["deploy"],
    };

    /// <summary>Lower-cased word tokens of <paramref name="text"/> (letters, digits, underscore).</summary>
    public static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        var sb = new StringBuilder();
        foreach (var ch in text)
        {
            if (char.IsLetterOrDigit(ch) || ch == '_')
            {
                sb.Append(char.ToLowerInvariant(ch));
            }
            else if (sb.Length > 0)
            {
                tokens.Add(sb.ToString());
                sb.Clear();
            }
        }

        if (sb.Length > 0)
        {
            tokens.Add(sb.ToString());
        }

        return tokens;
    }

    /// <summary>The content words of <paramref name="text"/>: tokens without stop words, in order, distinct.</summary>
    public static List<string> Terms(string text) =>
        [.. Tokens(text).Where(t => !StopWords.Contains(t) && (t.Length > 1 || char.IsDigit(t[0]))).Distinct(StringComparer.Ordinal)];

    /// <summary>The FTS5 MATCH expression for <paramref name="text"/>, or null when it has no content words.</summary>
    public static string? ToFts(string text, bool expand = true, bool prefix = false)
    {
        var phrases = ToPhrases(text, expand, prefix);
        return phrases.Count == 0 ? null : string.Join(" OR ", phrases);
    }

    /// <summary>The quoted FTS5 phrases (one per term, synonyms included) that <see cref="ToFts"/> OR-s together.</summary>
    public static List<string> ToPhrases(string text, bool expand = true, bool prefix = false)
    {
        var terms = Terms(text);
        if (terms.Count == 0)
        {
            // Only stop words: search them rather than nothing.
            terms = [.. Tokens(text).Distinct(StringComparer.Ordinal)];
        }

        if (terms.Count == 0)
        {
            return [];
        }

        var parts = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var term in terms.Take(24))
        {
            Add(term);
            if (expand && Synonyms.TryGetValue(term, out var more))
            {
                foreach (var m in more)
                {
                    Add(m);
                }
            }
        }

        return parts;

        void Add(string term)
        {
            if (seen.Add(term))
            {
                var quoted = "\"" + term.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
                parts.Add(prefix && term.Length >= 5 ? quoted + "*" : quoted);
            }
        }
    }

    /// <summary>Text normalised for duplicate detection: lower case, word tokens joined by one space.</summary>
    public static string Normalize(string text) => string.Join(' ', Tokens(text));

    /// <summary>Jaccard similarity of the content-word sets of two texts (0..1).</summary>
    public static double Similarity(string a, string b)
    {
        var x = Terms(a).ToHashSet(StringComparer.Ordinal);
        var y = Terms(b).ToHashSet(StringComparer.Ordinal);
        if (x.Count == 0 && y.Count == 0)
        {
            return 1;
        }

        var common = x.Count(y.Contains);
        return (double)common / (x.Count + y.Count - common);
    }
}
