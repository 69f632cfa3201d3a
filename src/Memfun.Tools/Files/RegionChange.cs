using System.Globalization;
using DiffPlex;
using DiffPlex.Chunkers;

namespace Memfun.Tools.Files;

/// <summary>
/// Applies the model's change — the difference between its <c>old_text</c> and <c>new_text</c> — to the real
/// lines of the file region that <c>old_text</c> was matched to, instead of replacing the region with the
/// model's copy of it.
/// </summary>
/// <remarks>
/// <para>Pure and thread-safe. Lines the edit leaves alone keep the file's exact text (indentation, tabs,
/// trailing spaces, and the file's spelling where the model's copy slipped). Added and changed lines take the
/// file's indentation style: each one's indentation relative to the nearest line of old_text, in levels, is
/// carried onto that line's partner in the file.</para>
/// <para>A line the edit removes or changes must be the file's line (ignoring whitespace): a slip there, a
/// changed line with no partner in the file, or file lines that old_text does not show inside a removed run
/// refuse the edit with the file's real lines, so the model can resend it.</para>
/// </remarks>
internal static class RegionChange
{
    private static readonly CustomFunctionChunker Lines = new(s => s.Split('\n'));

    /// <summary>Plans the edits, each relative to the region's first line.</summary>
    /// <param name="file">The region's lines as they are in the file.</param>
    /// <param name="oldLines">The model's old_text lines.</param>
    /// <param name="newLines">The model's new_text lines.</param>
    /// <param name="partner">For each old line, its line in <paramref name="file"/>, or -1 (from <see cref="LineAlignment"/>).</param>
    /// <param name="fileStyle">The file's indentation style.</param>
    /// <param name="firstLine">The region's 1-based first line in the file, for messages.</param>
    /// <param name="display">The file's display path, for messages.</param>
    public static List<LineEdit> Plan(
        IReadOnlyList<string> file, string[] oldLines, string[] newLines, int[] partner, IndentStyle fileStyle, int firstLine, string display)
    {
        var modelStyle = IndentStyle.Detect(oldLines.Concat(newLines), fileStyle, preferFallbackUnit: true);
        oldLines = CorrectedSlips(file, oldLines, newLines, partner);
        var edits = new List<LineEdit>();
        foreach (var block in Blocks(oldLines, newLines))
        {
            var (a, deleted, b, inserted) = block;
            int first, count;
            if (deleted > 0)
            {
                for (var i = a; i < a + deleted; i++)
                {
                    CheckChangedLine(file, oldLines, partner, i, firstLine, display);
                }

                first = partner[a];
                count = partner[a + deleted - 1] - first + 1;
                if (count != deleted)
                {
                    throw new EditMatchException(Refusal(
                        display, file, firstLine, first, count,
                        $"the lines your edit removes or changes ({Describe(firstLine + first, count)}) include {count - deleted} line(s) of the file that old_text does not show"));
                }
            }
            else
            {
                first = InsertionPoint(partner, a, file.Count);
                count = 0;
            }

            var text = new string[inserted];
            for (var k = 0; k < inserted; k++)
            {
                var line = newLines[b + k];
                var anchor = SameIndent(oldLines, partner, line, Anchor(partner, a, deleted, k));
                text[k] = anchor < 0 ? line : Reindent(line, oldLines[anchor], file[partner[anchor]], modelStyle, fileStyle);
            }

            edits.Add(new LineEdit(first, count, text));
        }

        return edits;
    }

    /// <summary>
    /// old_text with the file's spelling of each slipped line that new_text spells as the file does (and never as the
    /// slip): the model corrected its own copy there, which is no change to the file.
    /// </summary>
    private static string[] CorrectedSlips(IReadOnlyList<string> file, string[] oldLines, string[] newLines, int[] partner)
    {
        string[]? corrected = null;
        var wanted = newLines.Select(FuzzyEditor.Normalize).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < oldLines.Length; i++)
        {
            var p = partner[i];
            if (p < 0)
            {
                continue;
            }

            var theirs = FuzzyEditor.Normalize(file[p]);
            var mine = FuzzyEditor.Normalize(oldLines[i]);
            if (!string.Equals(theirs, mine, StringComparison.Ordinal) && wanted.Contains(theirs) && !wanted.Contains(mine))
            {
                corrected ??= [.. oldLines];
                corrected[i] = IndentStyle.IndentOf(oldLines[i]) + file[p].Trim();
            }
        }

        return corrected ?? oldLines;
    }

    /// <summary>The runs of old lines removed and new lines added, in order: (old start, removed, new start, added).</summary>
    private static IEnumerable<(int A, int Deleted, int B, int Inserted)> Blocks(string[] oldLines, string[] newLines)
    {
        if (newLines.Length == 0)
        {
            return [(0, oldLines.Length, 0, 0)];
        }

        var diff = Differ.Instance.CreateDiffs(string.Join('\n', oldLines), string.Join('\n', newLines), false, false, Lines);
        return diff.DiffBlocks.Select(d => (d.DeleteStartA, d.DeleteCountA, d.InsertStartB, d.InsertCountB));
    }

    private static void CheckChangedLine(IReadOnlyList<string> file, string[] oldLines, int[] partner, int i, int firstLine, string display)
    {
        var p = partner[i];
        if (p < 0)
        {
            throw new EditMatchException(string.Create(CultureInfo.InvariantCulture,
                $"Your edit removes or changes the old_text line \"{Clip(oldLines[i].Trim())}\", but that line is not in '{display}' near lines {firstLine}-{firstLine + file.Count - 1}. ")
                + "Nothing was changed. Read those lines with read_file and resend the edit with old_text copied exactly.");
        }

        if (!string.Equals(FuzzyEditor.Normalize(file[p]), FuzzyEditor.Normalize(oldLines[i]), StringComparison.Ordinal))
        {
            throw new EditMatchException(Refusal(
                display, file, firstLine, p, 1,
                $"your edit changes line {firstLine + p}, but old_text's copy of it (\"{Clip(oldLines[i].Trim())}\") differs from the file's (\"{Clip(file[p].Trim())}\") beyond whitespace"));
        }
    }

    /// <summary>Where lines added after old line <paramref name="a"/> − 1 go: after that line's partner, else before the next partnered line.</summary>
    private static int InsertionPoint(int[] partner, int a, int fileCount)
    {
        var neighbour = PartneredNeighbour(partner, a);
        return neighbour < 0 ? fileCount : neighbour < a ? partner[neighbour] + 1 : partner[neighbour];
    }

    /// <summary>The old line whose indentation an added line is measured against: the line it replaces, else the nearest partnered neighbour.</summary>
    private static int Anchor(int[] partner, int a, int deleted, int k) =>
        deleted > 0 ? a + Math.Min(k, deleted - 1) : PartneredNeighbour(partner, a);

    /// <summary>The last old line before <paramref name="a"/> that has a partner in the file, else the first from <paramref name="a"/> on; -1 when none has.</summary>
    private static int PartneredNeighbour(int[] partner, int a)
    {
        for (var i = a - 1; i >= 0; i--)
        {
            if (partner[i] >= 0)
            {
                return i;
            }
        }

        for (var i = a; i < partner.Length; i++)
        {
            if (partner[i] >= 0)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The partnered old line nearest to <paramref name="anchor"/> that the model indented exactly as <paramref name="line"/>,
    /// else <paramref name="anchor"/>: a model that indents its copy unevenly (the first line stripped, say) still indents
    /// alike what is alike, so the file's indentation of that line is the one meant.
    /// </summary>
    private static int SameIndent(string[] oldLines, int[] partner, string line, int anchor)
    {
        if (anchor < 0 || line.Trim().Length == 0)
        {
            return anchor;
        }

        var indent = IndentStyle.IndentOf(line);
        for (var d = 0; d < oldLines.Length; d++)
        {
            foreach (var i in (int[])[anchor - d, anchor + d])
            {
                if (i >= 0 && i < oldLines.Length && partner[i] >= 0 && oldLines[i].Trim().Length > 0
                    && string.Equals(IndentStyle.IndentOf(oldLines[i]), indent, StringComparison.Ordinal))
                {
                    return i;
                }
            }
        }

        return anchor;
    }

    /// <summary>Gives <paramref name="line"/> the file's indentation: its offset from the anchor's model indentation, carried onto the anchor's file line.</summary>
    internal static string Reindent(string line, string modelAnchor, string fileAnchor, IndentStyle modelStyle, IndentStyle fileStyle)
    {
        var body = line.TrimStart();
        if (body.Length == 0)
        {
            return string.Empty;
        }

        var lineIndent = IndentStyle.IndentOf(line);
        var modelIndent = IndentStyle.IndentOf(modelAnchor);
        var fileIndent = IndentStyle.IndentOf(fileAnchor);
        if (string.Equals(modelIndent, fileIndent, StringComparison.Ordinal) && modelStyle == fileStyle)
        {
            return line;
        }

        var delta = modelStyle.Levels(lineIndent) - modelStyle.Levels(modelIndent);
        if (Math.Abs(delta) < 1e-9)
        {
            return fileIndent + body;
        }

        return delta > 0
            ? fileIndent + fileStyle.Render(delta) + body
            : fileStyle.Render(fileStyle.Levels(fileIndent) + delta) + body;
    }

    private static string Refusal(string display, IReadOnlyList<string> file, int firstLine, int first, int count, string why)
    {
        var from = Math.Max(0, first - 2);
        var to = Math.Min(file.Count, first + count + 2);
        var shown = string.Join('\n', Enumerable.Range(from, to - from).Select(i => string.Create(CultureInfo.InvariantCulture, $"{firstLine + i,6}\t{file[i]}")));
        return $"The edit was not applied to '{display}': {why}. Nothing was changed. The file's lines there are:\n{shown}\n"
            + "Resend the edit with old_text copied exactly from these lines.";
    }

    private static string Describe(int line, int count) =>
        count == 1 ? string.Create(CultureInfo.InvariantCulture, $"line {line}") : string.Create(CultureInfo.InvariantCulture, $"lines {line}-{line + count - 1}");

    private static string Clip(string s) => s.Length <= 120 ? s : s[..117] + "…";
}
