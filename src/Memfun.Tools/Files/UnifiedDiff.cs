using System.Globalization;
using DiffPlex.Renderer;

namespace Memfun.Tools.Files;

/// <summary>Renders a unified diff (via DiffPlex) of two LF texts, capped at <see cref="MaxChars"/>.</summary>
internal static class UnifiedDiff
{
    public const int MaxChars = 20_000;

    public static string Render(string before, string after, string display)
    {
        var diff = UnidiffRenderer.GenerateUnidiff(before, after, "a/" + display, "b/" + display, ignoreWhitespace: false, ignoreCase: false, contextLines: 3);
        if (diff.Length <= MaxChars)
        {
            return diff;
        }

        var cut = diff.LastIndexOf('\n', MaxChars);
        var head = diff[..(cut > 0 ? cut : MaxChars)];
        return head + string.Create(CultureInfo.InvariantCulture, $"\n… [diff truncated: {diff.Length - head.Length} more characters; use git_diff or read_file to see the rest]\n");
    }
}
