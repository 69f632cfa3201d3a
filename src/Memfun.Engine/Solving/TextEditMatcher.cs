using System.Text;

namespace Memfun.Engine.Solving;

/// <summary>
/// Finds the one place an edit's old text occupies in a file and replaces it: first exactly, then line by
/// line ignoring leading/trailing whitespace (re-indenting the new text to the file's indentation), and
/// refuses when the text is found nowhere or more than once.
/// </summary>
/// <remarks>Pure and thread-safe. Keeps the file's line endings (LF or CRLF).</remarks>
internal static class TextEditMatcher
{
    /// <summary>Applies one edit to <paramref name="content"/>; null result with <paramref name="problem"/> on failure.</summary>
    public static string? TryApply(string content, string oldText, string newText, out string? problem)
    {
        problem = null;
        if (string.IsNullOrEmpty(oldText))
        {
            problem = "the edit's \"old\" text is empty; use a write operation to create or replace a whole file";
            return null;
        }

        var crlf = content.Contains("\r\n", StringComparison.Ordinal);
        var text = crlf ? content.Replace("\r\n", "\n", StringComparison.Ordinal) : content;
        var oldN = oldText.Replace("\r\n", "\n", StringComparison.Ordinal);
        var newN = newText.Replace("\r\n", "\n", StringComparison.Ordinal);

        var first = text.IndexOf(oldN, StringComparison.Ordinal);
        string? result = null;
        if (first >= 0)
        {
            var second = text.IndexOf(oldN, first + 1, StringComparison.Ordinal);
            if (second >= 0)
            {
                problem = $"the \"old\" text occurs {Count(text, oldN)} times; include more surrounding lines so it matches exactly one place";
                return null;
            }

            result = string.Concat(text.AsSpan(0, first), newN, text.AsSpan(first + oldN.Length));
        }
        else
        {
            result = Tolerant(text, oldN, newN, out problem);
            if (result is null)
            {
                return null;
            }
        }

        return crlf ? result.Replace("\n", "\r\n", StringComparison.Ordinal) : result;
    }

    private static string? Tolerant(string text, string oldText, string newText, out string? problem)
    {
        problem = null;
        var lines = text.Split('\n');
        var oldLines = oldText.Trim('\n').Split('\n');
        var wanted = oldLines.Select(l => l.Trim()).ToArray();
        if (wanted.All(l => l.Length == 0))
        {
            problem = "the edit's \"old\" text is only whitespace";
            return null;
        }

        var matches = new List<int>();
        for (var i = 0; i + wanted.Length <= lines.Length; i++)
        {
            var ok = true;
            for (var j = 0; j < wanted.Length && ok; j++)
            {
                ok = string.Equals(lines[i + j].Trim(), wanted[j], StringComparison.Ordinal);
            }

            if (ok)
            {
                matches.Add(i);
            }
        }

        if (matches.Count == 0)
        {
            var firstWanted = wanted.First(l => l.Length > 0);
            var near = Array.FindIndex(lines, l => l.Trim() == firstWanted);
            problem = near >= 0
                ? $"the \"old\" text matches nothing (its first line occurs at line {near + 1}, but the following lines differ); copy the current text exactly"
                : "the \"old\" text matches nothing in the file; copy the current text exactly (read the file first)";
            return null;
        }

        if (matches.Count > 1)
        {
            problem = $"the \"old\" text matches {matches.Count} places (lines {string.Join(", ", matches.Select(m => m + 1))}); include more surrounding lines";
            return null;
        }

        var at = matches[0];
        var fileIndent = IndentOfFirstNonBlank(lines.AsSpan(at, wanted.Length));
        var oldIndent = IndentOfFirstNonBlank(oldLines);
        var replacement = newText.Trim('\n').Split('\n').Select(l =>
            l.StartsWith(oldIndent, StringComparison.Ordinal) ? fileIndent + l[oldIndent.Length..] : l.Trim().Length == 0 ? string.Empty : l);

        var sb = new StringBuilder();
        var newLines = newText.Length == 0 ? [] : replacement.ToArray();
        var all = lines.Take(at).Concat(newLines).Concat(lines.Skip(at + wanted.Length));
        sb.AppendJoin('\n', all);
        return sb.ToString();
    }

    private static string IndentOfFirstNonBlank(ReadOnlySpan<string> lines)
    {
        foreach (var l in lines)
        {
            if (l.Trim().Length > 0)
            {
                return l[..(l.Length - l.TrimStart().Length)];
            }
        }

        return string.Empty;
    }

    private static int Count(string text, string part)
    {
        var n = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }
}
