using System.Globalization;
using System.Text;

namespace Memfun.Tools.Search;

/// <summary>One listed file.</summary>
/// <param name="Path">Relative to the workspace root, '/' separators.</param>
/// <param name="Modified">The modification time (UTC, ISO 8601) when asked for, else null.</param>
/// <param name="Size">The size in bytes.</param>
public sealed record ListedFile(string Path, string? Modified, long Size);

/// <summary>What <c>list_files</c> found.</summary>
/// <param name="Files">The files returned, sorted by path.</param>
/// <param name="Total">Every file that matched, returned or not.</param>
/// <param name="Truncated">True when <paramref name="Total"/> exceeds the files returned.</param>
public sealed record FileListing(IReadOnlyList<ListedFile> Files, int Total, bool Truncated)
{
    /// <summary>One path a line (with the time when asked for), then a line with the count of the rest.</summary>
    public string ToText()
    {
        if (Total == 0)
        {
            return "No files matched.";
        }

        var sb = new StringBuilder();
        foreach (var f in Files)
        {
            sb.Append(f.Path);
            if (f.Modified is not null)
            {
                sb.Append("  ").Append(f.Modified);
            }

            sb.Append('\n');
        }

        if (Truncated)
        {
            sb.Append("… and ").Append((Total - Files.Count).ToString(CultureInfo.InvariantCulture))
              .Append(" more files (").Append(Total).Append(" in all). Narrow with a pattern or a path.");
        }
        else
        {
            sb.Append('(').Append(Total).Append(Total == 1 ? " file)" : " files)");
        }

        return sb.ToString();
    }
}
