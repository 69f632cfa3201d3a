using System.Globalization;

namespace Memfun.Tools.Files;

/// <summary>Says, for an edit's result, how the model's <c>old_text</c> differed from the file lines it was matched to.</summary>
/// <remarks>Pure and thread-safe. The notes are short phrases a model can act on; the file's text was kept in every case.</remarks>
internal static class EditNotes
{
    /// <summary>Adds to <paramref name="notes"/> what differs between <paramref name="oldLines"/> and their partners in <paramref name="file"/>.</summary>
    public static void Describe(IReadOnlyList<string> file, string[] oldLines, int[] partner, double[] similarity, int firstLine, ISet<string> notes)
    {
        var slips = new List<int>();
        var paired = new bool[file.Count];
        for (var i = 0; i < oldLines.Length; i++)
        {
            var p = partner[i];
            if (p < 0)
            {
                notes.Add($"old_text line \"{Clip(oldLines[i].Trim())}\" is not in the file (ignored)");
                continue;
            }

            paired[p] = true;
            var mine = oldLines[i];
            var theirs = file[p];
            if (similarity[i] < 1)
            {
                slips.Add(firstLine + p);
                continue;
            }

            var myIndent = IndentStyle.IndentOf(mine);
            var theirIndent = IndentStyle.IndentOf(theirs);
            if (!string.Equals(myIndent, theirIndent, StringComparison.Ordinal))
            {
                notes.Add(myIndent.Contains('\t', StringComparison.Ordinal) != theirIndent.Contains('\t', StringComparison.Ordinal)
                    ? "tabs and spaces in indentation"
                    : "indentation depth");
            }

            if (mine.Length - mine.TrimEnd().Length != theirs.Length - theirs.TrimEnd().Length
                || !string.Equals(mine[(mine.TrimEnd().Length)..], theirs[(theirs.TrimEnd().Length)..], StringComparison.Ordinal))
            {
                notes.Add("trailing whitespace");
            }

            if (!string.Equals(mine.Trim(), theirs.Trim(), StringComparison.Ordinal))
            {
                notes.Add("whitespace inside lines");
            }
        }

        if (slips.Count > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"old_text's copy of line{(slips.Count == 1 ? string.Empty : "s")} {string.Join(", ", slips)} differs from the file; the edit leaves {(slips.Count == 1 ? "it" : "them")} unchanged, as the file has {(slips.Count == 1 ? "it" : "them")}"));
        }

        var missing = Enumerable.Range(0, file.Count)
            .Where(j => !paired[j] && j > partner.Where(x => x >= 0).DefaultIfEmpty(-1).Min() && j < partner.Max() && file[j].Trim().Length > 0)
            .Select(j => firstLine + j)
            .ToList();
        if (missing.Count > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"old_text leaves out line{(missing.Count == 1 ? string.Empty : "s")} {string.Join(", ", missing)} of the file (kept)"));
        }
    }

    private static string Clip(string s) => s.Length <= 80 ? s : s[..77] + "…";
}
