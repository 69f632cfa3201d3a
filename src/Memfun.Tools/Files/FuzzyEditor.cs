using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Memfun.Tools.Files;

/// <summary>
/// Finds where <c>old_text</c> sits in a file's text, trying three strategies in order — exact;
/// whitespace/indentation-normalised (re-indenting the new text to the file's indentation); fuzzy
/// sliding-window similarity at or above <see cref="FuzzyThreshold"/> — and plans the replacement.
/// </summary>
/// <remarks>
/// Pure and thread-safe: text in, plan out. Texts are LF-normalised by the caller. More than one
/// match without <c>replaceAll</c> throws <see cref="EditMatchException"/> with the candidate lines;
/// no match throws it with the closest region, its line numbers and similarity.
/// The fuzzy pass prunes windows with a character-histogram bound (an upper bound of the
/// similarity) before computing any edit distance, so it stays fast on large files.
/// </remarks>
internal static class FuzzyEditor
{
    public const double FuzzyThreshold = 0.85;

    /// <summary>Fuzzy matching needs at least this many non-space characters in old_text (shorter texts match too much).</summary>
    public const int FuzzyMinChars = 12;

    /// <summary>old_text longer than this is matched exactly or by whitespace only.</summary>
    public const int FuzzyMaxChars = 20_000;

    private const int Buckets = 192;
    private const int MaxCandidates = 400;

    public static EditPlan Plan(string content, string oldText, string newText, bool replaceAll, string display)
    {
        if (oldText.Length == 0)
        {
            throw new EditMatchException(
                "old_text is empty, so there is nothing to find. To create or replace a whole file use write_file; to insert text, " +
                "put a line next to the insertion point in old_text and repeat it, with your addition, in new_text.");
        }

        if (oldText == newText)
        {
            throw new EditMatchException("old_text and new_text are identical, so the edit would change nothing. Put the text you want in new_text.");
        }

        var lines = new LineIndex(content);
        return Exact(content, oldText, newText, replaceAll, display, lines)
            ?? WhitespaceLines(content, oldText, newText, replaceAll, display, lines)
            ?? WhitespaceFragment(content, oldText, newText, replaceAll, display, lines)
            ?? Fuzzy(content, oldText, newText, replaceAll, display, lines);
    }

    /// <summary>
    /// Applies the model's change to the matched regions (whole lines): the lines old_text → new_text keeps stay as
    /// the file has them; see <see cref="RegionChange"/>.
    /// </summary>
    private static EditPlan ChangeRegions(
        string strategy, string content, LineIndex lines, IReadOnlyList<(int Start, int Size)> regions, string[] oldLines, string newText,
        double similarity, string display)
    {
        var newLines = TrimBlankEdges(newText.Split('\n'));
        var fileStyle = IndentStyle.Detect(Enumerable.Range(0, lines.Count).Select(i => lines.Text(content, i)));
        var replacements = new List<TextReplacement>();
        var notes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (start, size) in regions.OrderBy(r => r.Start))
        {
            var file = Enumerable.Range(start, size).Select(i => lines.Text(content, i)).ToArray();
            int[] partner;
            double[] pairSimilarity;
            if (strategy == "whitespace")
            {
                partner = Enumerable.Range(0, size).ToArray();
                pairSimilarity = Enumerable.Repeat(1.0, size).ToArray();
            }
            else
            {
                partner = LineAlignment.Align(oldLines.Select(Normalize).ToArray(), file.Select(Normalize).ToArray(), out pairSimilarity);
            }

            EditNotes.Describe(file, oldLines, partner, pairSimilarity, start + 1, notes);
            foreach (var edit in RegionChange.Plan(file, oldLines, newLines, partner, fileStyle, start + 1, display))
            {
                replacements.Add(ToReplacement(content, lines, start + edit.First, edit));
            }
        }

        if (replacements.Count == 0)
        {
            throw new EditMatchException(
                $"old_text and new_text differ only in lines that '{display}' already has as new_text wants them (the match was {strategy}), so the edit would change nothing.");
        }

        return new EditPlan(strategy, replacements, similarity, [.. regions.Select(r => r.Start + 1).Order()], [.. notes]);
    }

    /// <summary>Turns a whole-line edit at absolute line <paramref name="line"/> into a replacement of the LF text.</summary>
    private static TextReplacement ToReplacement(string content, LineIndex lines, int line, LineEdit edit)
    {
        var text = string.Join('\n', edit.Lines);
        if (edit.Count == 0)
        {
            if (line < lines.Count)
            {
                return new TextReplacement(lines.Start(line), 0, text + "\n", line + 1);
            }

            return content.EndsWith('\n')
                ? new TextReplacement(content.Length, 0, text + "\n", line + 1)
                : new TextReplacement(content.Length, 0, "\n" + text, line + 1);
        }

        var start = lines.Start(line);
        var end = lines.End(line + edit.Count - 1);
        if (edit.Lines.Length == 0)
        {
            // Removing the lines: take one line break with them, so no empty line is left behind.
            if (end < content.Length)
            {
                end++;
            }
            else if (start > 0)
            {
                start--;
            }
        }

        return new TextReplacement(start, end - start, text, line + 1);
    }

    private static EditPlan? Exact(string content, string oldText, string newText, bool replaceAll, string display, LineIndex lines)
    {
        var found = new List<TextReplacement>();
        var at = content.IndexOf(oldText, StringComparison.Ordinal);
        while (at >= 0)
        {
            found.Add(new TextReplacement(at, oldText.Length, newText, lines.LineOf(at)));
            at = content.IndexOf(oldText, at + oldText.Length, StringComparison.Ordinal);
        }

        return Choose("exact", found, replaceAll, display, 1);
    }

    private static EditPlan? WhitespaceLines(string content, string oldText, string newText, bool replaceAll, string display, LineIndex lines)
    {
        var oldLines = TrimBlankEdges(oldText.Split('\n'));
        if (oldLines.Length == 0)
        {
            return null;
        }

        var want = oldLines.Select(Normalize).ToArray();
        var found = new List<(int Start, int Size)>();
        for (var i = 0; i + want.Length <= lines.Count; i++)
        {
            var ok = true;
            for (var j = 0; j < want.Length && ok; j++)
            {
                ok = Normalize(lines.Text(content, i + j)) == want[j];
            }

            if (ok)
            {
                found.Add((i, want.Length));
                i += want.Length - 1;
            }
        }

        if (found.Count == 0)
        {
            return null;
        }

        if (found.Count > 1 && !replaceAll)
        {
            throw Ambiguous("whitespace", display, found.Select(f => f.Start + 1));
        }

        return ChangeRegions("whitespace", content, lines, found, oldLines, newText, 1, display);
    }

    private static EditPlan? WhitespaceFragment(string content, string oldText, string newText, bool replaceAll, string display, LineIndex lines)
    {
        var trimmed = oldText.Trim();
        if (trimmed.Length == 0 || trimmed.Contains('\n', StringComparison.Ordinal))
        {
            return null;
        }

        var pattern = string.Join(@"\s+", Regex.Split(trimmed, @"\s+").Select(Regex.Escape));
        var found = new List<TextReplacement>();
        try
        {
            foreach (Match m in Regex.Matches(content, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2)))
            {
                found.Add(new TextReplacement(m.Index, m.Length, newText.Trim(), lines.LineOf(m.Index)));
            }
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }

        return Choose("whitespace", found, replaceAll, display, 1);
    }

    private static EditPlan Fuzzy(string content, string oldText, string newText, bool replaceAll, string display, LineIndex lines)
    {
        var oldLines = TrimBlankEdges(oldText.Split('\n'));
        var target = string.Join('\n', oldLines.Select(Normalize));
        if (target.Count(c => c is not (' ' or '\n')) < FuzzyMinChars)
        {
            throw new EditMatchException(
                $"old_text was not found in '{display}' (not exactly, nor ignoring whitespace), and it is too short for a fuzzy match " +
                $"(under {FuzzyMinChars} characters). Read the file with read_file and copy the exact text, with a line or two of context.");
        }

        if (target.Length > FuzzyMaxChars)
        {
            throw new EditMatchException(
                $"old_text was not found in '{display}' (not exactly, nor ignoring whitespace); it is too long for a fuzzy match " +
                $"({target.Length} characters, the limit is {FuzzyMaxChars}). Replace a smaller, exact piece at a time.");
        }

        var norm = new string[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            norm[i] = Normalize(lines.Text(content, i));
        }

        var want = Histogram(target);
        var n = oldLines.Length;
        var spread = n <= 1 ? 0 : Math.Max(1, n / 10);
        var windows = new List<(int Start, int Size, double Bound)>();
        var hist = new int[Buckets];
        for (var size = Math.Max(1, n - spread); size <= n + spread && size <= lines.Count; size++)
        {
            Array.Clear(hist);
            var len = size - 1;
            hist[Bucket('\n')] += size - 1;
            for (var k = 0; k < size; k++)
            {
                Add(hist, norm[k], 1);
                len += norm[k].Length;
            }

            for (var start = 0; ; start++)
            {
                var common = 0;
                for (var b = 0; b < Buckets; b++)
                {
                    common += Math.Min(hist[b], want[b]);
                }

                var longer = Math.Max(len, target.Length);
                windows.Add((start, size, longer == 0 ? 0 : (double)common / longer));
                if (start + size >= lines.Count)
                {
                    break;
                }

                Add(hist, norm[start], -1);
                len -= norm[start].Length;
                Add(hist, norm[start + size], 1);
                len += norm[start + size].Length;
            }
        }

        windows.Sort((x, y) => y.Bound.CompareTo(x.Bound));
        var scored = new List<(int Start, int Size, double Similarity)>();
        var maxDistance = (int)Math.Floor((1 - FuzzyThreshold) * target.Length * 1.2) + 1;
        var nearMisses = target.Length <= 2000 ? 40 : 5;
        foreach (var w in windows.Take(MaxCandidates))
        {
            if (w.Bound < FuzzyThreshold && scored.Count >= nearMisses)
            {
                break;
            }

            var text = string.Join('\n', norm, w.Start, w.Size);
            var longer = Math.Max(text.Length, target.Length);
            var d = w.Bound >= FuzzyThreshold ? Levenshtein.Distance(text, target, maxDistance) : Levenshtein.Distance(text, target, longer);
            scored.Add((w.Start, w.Size, longer == 0 ? 0 : 1 - ((double)Math.Min(d, longer) / longer)));
        }

        scored.Sort((x, y) => y.Similarity != x.Similarity ? y.Similarity.CompareTo(x.Similarity) : x.Size.CompareTo(y.Size));
        var regions = new List<(int Start, int Size, double Similarity)>();
        foreach (var s in scored.Where(s => s.Similarity >= FuzzyThreshold))
        {
            if (!regions.Exists(r => s.Start < r.Start + r.Size && r.Start < s.Start + s.Size))
            {
                regions.Add(s);
            }
        }

        if (regions.Count == 0)
        {
            throw Miss(content, lines, display, scored.Count == 0 ? null : scored[0]);
        }

        if (!replaceAll && regions.Count > 1 && regions[1].Similarity >= regions[0].Similarity - 0.02)
        {
            throw Ambiguous("fuzzy", display, regions.Select(r => r.Start + 1));
        }

        var chosen = replaceAll ? regions : regions.Take(1).ToList();
        return ChangeRegions("fuzzy", content, lines, [.. chosen.Select(r => (r.Start, r.Size))], oldLines, newText, chosen.Min(r => r.Similarity), display);
    }

    private static EditPlan? Choose(string strategy, List<TextReplacement> found, bool replaceAll, string display, double similarity)
    {
        if (found.Count == 0)
        {
            return null;
        }

        if (found.Count > 1 && !replaceAll)
        {
            throw Ambiguous(strategy, display, found.Select(f => f.Line));
        }

        return new EditPlan(strategy, found, similarity, [.. found.Select(f => f.Line)], []);
    }

    private static EditMatchException Ambiguous(string strategy, string display, IEnumerable<int> lines)
    {
        var list = lines.ToList();
        var shown = string.Join(", ", list.Take(20)) + (list.Count > 20 ? $", … ({list.Count} in all)" : string.Empty);
        return new EditMatchException(string.Create(CultureInfo.InvariantCulture,
            $"old_text matches {list.Count} places in '{display}' ({strategy} match), starting at lines {shown}. ")
            + "Add surrounding lines to old_text so it matches exactly one place, or pass replace_all=true to change every one.");
    }

    private static EditMatchException Miss(string content, LineIndex lines, string display, (int Start, int Size, double Similarity)? closest)
    {
        if (closest is not { } c)
        {
            return new EditMatchException($"old_text was not found in '{display}', and nothing in it comes close. Read the file with read_file and copy the exact text.");
        }

        // Report the region without blank lines at its edges.
        while (c.Size > 1 && lines.Text(content, c.Start).Trim().Length == 0)
        {
            c = (c.Start + 1, c.Size - 1, c.Similarity);
        }

        while (c.Size > 1 && lines.Text(content, c.Start + c.Size - 1).Trim().Length == 0)
        {
            c = (c.Start, c.Size - 1, c.Similarity);
        }

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture,
            $"old_text was not found in '{display}' (exact, whitespace-insensitive and fuzzy matching all failed; fuzzy needs {FuzzyThreshold:P0} similarity). ");
        sb.Append(CultureInfo.InvariantCulture, $"The closest region is lines {c.Start + 1}-{c.Start + c.Size} ({c.Similarity:P0} similar):\n");
        for (var i = c.Start; i < c.Start + Math.Min(c.Size, 40); i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{i + 1,6}\t{lines.Text(content, i)}\n");
        }

        if (c.Size > 40)
        {
            sb.Append("   …\n");
        }

        sb.Append("Retry with old_text copied exactly from these lines (or read_file them first).");
        return new EditMatchException(sb.ToString());
    }

    private static string[] TrimBlankEdges(string[] lines)
    {
        var a = 0;
        var b = lines.Length;
        while (a < b && lines[a].Trim().Length == 0)
        {
            a++;
        }

        while (b > a && lines[b - 1].Trim().Length == 0)
        {
            b--;
        }

        return lines[a..b];
    }

    /// <summary>Trims the line and collapses every run of whitespace to one space.</summary>
    internal static string Normalize(string line)
    {
        var sb = new StringBuilder(line.Length);
        var space = false;
        foreach (var ch in line.AsSpan().Trim())
        {
            if (char.IsWhiteSpace(ch))
            {
                space = true;
                continue;
            }

            if (space)
            {
                sb.Append(' ');
                space = false;
            }

            sb.Append(ch);
        }

        return sb.ToString();
    }

    private static int Bucket(char c) => c < 128 ? c : 128 + (c % 64);

    private static int[] Histogram(string s)
    {
        var h = new int[Buckets];
        foreach (var c in s)
        {
            h[Bucket(c)]++;
        }

        return h;
    }

    private static void Add(int[] hist, string s, int sign)
    {
        foreach (var c in s)
        {
            hist[Bucket(c)] += sign;
        }
    }

    /// <summary>Line starts of an LF text, for line numbers and whole-line regions.</summary>
    private sealed class LineIndex
    {
        private readonly List<int> _starts = [0];
        private readonly int _lastEnd;

        public LineIndex(string content)
        {
            _lastEnd = content.EndsWith('\n') ? content.Length - 1 : content.Length;
            for (var i = 0; i < content.Length; i++)
            {
                if (content[i] == '\n' && i + 1 < content.Length)
                {
                    _starts.Add(i + 1);
                }
            }
        }

        public int Count => _starts.Count;

        public int Start(int line) => _starts[line];

        /// <summary>The end of the line, before its line break.</summary>
        public int End(int line) => line + 1 < _starts.Count ? _starts[line + 1] - 1 : _lastEnd;

        public string Text(string content, int line) => content[Start(line)..End(line)];

        public int LineOf(int offset)
        {
            var i = _starts.BinarySearch(offset);
            return (i >= 0 ? i : ~i - 1) + 1;
        }
    }
}
