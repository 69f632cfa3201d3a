using System.Text;

namespace Memfun.Tools.Search;

/// <summary>What a content search found.</summary>
/// <param name="Matches">The matching lines returned, by path then line.</param>
/// <param name="TotalMatches">Every matching line found, returned or not.</param>
/// <param name="FilesWithMatches">Files with at least one match.</param>
/// <param name="FilesSearched">Text files searched.</param>
/// <param name="SkippedBinary">Files skipped as binary.</param>
/// <param name="SkippedLarge">Files skipped as larger than the search limit.</param>
/// <param name="Truncated">True when <paramref name="TotalMatches"/> exceeds the lines returned.</param>
public sealed record SearchResult(
    IReadOnlyList<SearchHit> Matches,
    int TotalMatches,
    int FilesWithMatches,
    int FilesSearched,
    int SkippedBinary,
    int SkippedLarge,
    bool Truncated)
{
    /// <summary>Renders the result as <c>file:line: text</c> lines (context as <c>file-line- text</c>, groups split by <c>--</c>) with a summary.</summary>
    public string ToText()
    {
        var sb = new StringBuilder();
        if (Matches.Count == 0)
        {
            sb.Append("No matches (searched ").Append(FilesSearched).Append(" files");
            AppendSkips(sb);
            sb.Append(").");
            return sb.ToString();
        }

        string? file = null;
        var lastLine = 0;
        var lastHadContext = false;
        foreach (var hit in Matches)
        {
            var before = hit.Before ?? [];
            var first = hit.Line - before.Count;
            if (file is not null && (file != hit.Path || first > lastLine + 1) && (before.Count > 0 || hit.After is { Count: > 0 } || lastHadContext))
            {
                sb.Append("--\n");
            }

            if (file != hit.Path)
            {
                lastLine = 0;
            }

            for (var i = 0; i < before.Count; i++)
            {
                var n = first + i;
                if (n > lastLine)
                {
                    sb.Append(hit.Path).Append('-').Append(n).Append("- ").Append(before[i]).Append('\n');
                }
            }

            if (hit.Line > lastLine)
            {
                sb.Append(hit.Path).Append(':').Append(hit.Line).Append(": ").Append(hit.Text).Append('\n');
            }

            var after = hit.After ?? [];
            for (var i = 0; i < after.Count; i++)
            {
                sb.Append(hit.Path).Append('-').Append(hit.Line + 1 + i).Append("- ").Append(after[i]).Append('\n');
            }

            lastHadContext = before.Count > 0 || after.Count > 0;
            lastLine = hit.Line + after.Count;
            file = hit.Path;
        }

        sb.Append('\n').Append(TotalMatches).Append(TotalMatches == 1 ? " matching line in " : " matching lines in ")
          .Append(FilesWithMatches).Append(FilesWithMatches == 1 ? " file" : " files")
          .Append(" (searched ").Append(FilesSearched).Append(" files");
        AppendSkips(sb);
        sb.Append(").");
        if (Truncated)
        {
            sb.Append(" Showing the first ").Append(Matches.Count)
              .Append("; narrow the search with path or glob, or raise max_results.");
        }

        return sb.ToString();
    }

    private void AppendSkips(StringBuilder sb)
    {
        if (SkippedBinary > 0)
        {
            sb.Append(", skipped ").Append(SkippedBinary).Append(" binary");
        }

        if (SkippedLarge > 0)
        {
            sb.Append(", skipped ").Append(SkippedLarge).Append(" too large");
        }
    }
}
