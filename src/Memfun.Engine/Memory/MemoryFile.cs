using System.Text;
using System.Text.RegularExpressions;

namespace Memfun.Engine.Memory;

/// <summary>
/// Reads and edits <c>MEMORY.md</c>: sections <c>## Project</c>, <c>## User</c> or
/// <c>## Project: tag1, tag2</c> hold bullets, each ending with a <c>&lt;!-- mem:p12 --&gt;</c> marker
/// that ties it to a stored entry. Everything else in the file (free text, other sections) is kept as
/// the person wrote it.
/// </summary>
/// <remarks>Not thread-safe: one instance per edit, under the memory lock.</remarks>
internal sealed partial class MemoryFile
{
    public const string Header = """
        # Memory

        What memfun remembers for this workspace. Edit freely: your edits win. Change a line to change the
        memory, delete a line to forget it, add a bullet under a `## Project` or `## User` section (optionally
        `## Project: tag1, tag2`) to teach it. Keep the `<!-- mem:… -->` marker at the end of each line.

        """;

    private readonly List<string> _lines;

    private MemoryFile(List<string> lines) => _lines = lines;

    public static MemoryFile Parse(string text) =>
        new([.. text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n')]);

    public static MemoryFile Empty() => Parse(Header);

    public bool Changed { get; private set; }

    public List<FileMemory> Entries()
    {
        var entries = new List<FileMemory>();
        MemoryScope? scope = null;
        string[] tags = [];
        var inFence = false;
        for (var i = 0; i < _lines.Count; i++)
        {
            var line = _lines[i];
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }

            if (inFence)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                var h = SectionPattern().Match(line);
                if (h.Success)
                {
                    scope = h.Groups[1].Value.Equals("user", StringComparison.OrdinalIgnoreCase) ? MemoryScope.User : MemoryScope.Project;
                    tags = ParseTags(h.Groups[2].Value);
                }
                else
                {
                    scope = null;
                }

                continue;
            }

            if (scope is null)
            {
                continue;
            }

            var b = BulletPattern().Match(line);
            if (b.Success)
            {
                var text = b.Groups[1].Value.Trim();
                if (text.Length > 0)
                {
                    entries.Add(new FileMemory(i, text, b.Groups[2].Success ? b.Groups[2].Value : null, scope.Value, tags));
                }
            }
        }

        return entries;
    }

    public void SetId(int line, string text, string id)
    {
        _lines[line] = Bullet(text, id);
        Changed = true;
    }

    public void RemoveIds(IReadOnlySet<string> ids)
    {
        var remove = Entries().Where(e => e.Id is not null && ids.Contains(e.Id)).Select(e => e.Line).OrderDescending().ToList();
        foreach (var line in remove)
        {
            _lines.RemoveAt(line);
            Changed = true;
            RemoveSectionIfEmpty(line);
        }
    }

    /// <summary>Removes the memory section around <paramref name="line"/> (heading and blank lines) when nothing but blank lines is left in it.</summary>
    private void RemoveSectionIfEmpty(int line)
    {
        var heading = line - 1;
        while (heading >= 0 && !_lines[heading].StartsWith('#'))
        {
            heading--;
        }

        if (heading < 0 || !SectionPattern().IsMatch(_lines[heading]))
        {
            return;
        }

        var end = heading + 1;
        while (end < _lines.Count && !_lines[end].StartsWith('#'))
        {
            if (!string.IsNullOrWhiteSpace(_lines[end]))
            {
                return;
            }

            end++;
        }

        // Keep one blank line between what was before the section and what follows it.
        var start = heading > 0 && string.IsNullOrWhiteSpace(_lines[heading - 1]) ? heading - 1 : heading;
        _lines.RemoveRange(start, end - start);
        if (start > 0 && start < _lines.Count)
        {
            _lines.Insert(start, string.Empty);
        }
    }

    public void Append(MemoryEntry entry)
    {
        var title = SectionTitle(entry.Scope, entry.Tags);
        var heading = -1;
        for (var i = 0; i < _lines.Count; i++)
        {
            var h = SectionPattern().Match(_lines[i]);
            if (h.Success && SectionTitle(
                    h.Groups[1].Value.Equals("user", StringComparison.OrdinalIgnoreCase) ? MemoryScope.User : MemoryScope.Project,
                    ParseTags(h.Groups[2].Value)) == title)
            {
                heading = i;
                break;
            }
        }

        var bullet = Bullet(entry.Text, entry.Id);
        Changed = true;
        if (heading < 0)
        {
            while (_lines.Count > 0 && string.IsNullOrWhiteSpace(_lines[^1]))
            {
                _lines.RemoveAt(_lines.Count - 1);
            }

            _lines.AddRange([string.Empty, "## " + title, string.Empty, bullet, string.Empty]);
            return;
        }

        // After the section's last bullet (or right after its heading).
        var insert = heading + 1;
        for (var i = heading + 1; i < _lines.Count && !_lines[i].StartsWith('#'); i++)
        {
            if (BulletPattern().IsMatch(_lines[i]))
            {
                insert = i + 1;
            }
        }

        if (insert == heading + 1)
        {
            _lines.Insert(insert, string.Empty);
            insert++;
        }

        _lines.Insert(insert, bullet);
    }

    /// <summary>The file without the id markers: what an agent reads.</summary>
    public string WithoutMarkers() => MarkerPattern().Replace(ToString(), string.Empty);

    public override string ToString()
    {
        var text = string.Join('\n', _lines).TrimEnd('\n') + "\n";
        return text;
    }

    public static string SectionTitle(MemoryScope scope, IReadOnlyList<string> tags) =>
        (scope == MemoryScope.User ? "User" : "Project") + (tags.Count == 0 ? string.Empty : ": " + string.Join(", ", tags));

    private static string Bullet(string text, string id) => $"- {text} <!-- mem:{id} -->";

    private static string[] ParseTags(string s) =>
        [.. s.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => t.ToLowerInvariant()).Distinct()];

    [GeneratedRegex(@"^##\s+(project|user)\s*(?:[:·—-]\s*(.*?))?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex SectionPattern();

    [GeneratedRegex(@"^\s{0,3}[-*+]\s+(.*?)\s*(?:<!--\s*mem:([pu]\d+)\s*-->)?\s*$")]
    private static partial Regex BulletPattern();

    [GeneratedRegex(@"\s*<!--\s*mem:[pu]\d+\s*-->")]
    private static partial Regex MarkerPattern();
}
