using System.Text;

namespace Memfun.Engine.Solving;

/// <summary>A compact unified diff of one file: the common head and tail are trimmed, the middle shown as one hunk.</summary>
/// <remarks>Pure. Enough for a reviewer to see a change; not a minimal diff.</remarks>
internal static class TextDiff
{
    public static string Unified(string path, string? before, string after, int maxChars)
    {
        var a = (before ?? string.Empty).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var b = after.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (before is null)
        {
            a = [];
        }

        var head = 0;
        while (head < a.Length && head < b.Length && a[head] == b[head])
        {
            head++;
        }

        var tail = 0;
        while (tail < a.Length - head && tail < b.Length - head && a[a.Length - 1 - tail] == b[b.Length - 1 - tail])
        {
            tail++;
        }

        const int contextLines = 3;
        var start = Math.Max(0, head - contextLines);
        var sb = new StringBuilder();
        sb.Append("--- ").Append(before is null ? "/dev/null" : "a/" + path).Append('\n');
        sb.Append("+++ b/").Append(path).Append('\n');
        sb.Append("@@ -").Append(start + 1).Append(" +").Append(start + 1).Append(" @@\n");
        for (var i = start; i < head; i++)
        {
            sb.Append(' ').Append(a[i]).Append('\n');
        }

        for (var i = head; i < a.Length - tail; i++)
        {
            sb.Append('-').Append(a[i]).Append('\n');
        }

        for (var i = head; i < b.Length - tail; i++)
        {
            sb.Append('+').Append(b[i]).Append('\n');
        }

        for (var i = b.Length - tail; i < Math.Min(b.Length, b.Length - tail + contextLines); i++)
        {
            sb.Append(' ').Append(b[i]).Append('\n');
        }

        return sb.Length > maxChars ? sb.ToString(0, maxChars) + "\n… [diff cut]\n" : sb.ToString();
    }
}
