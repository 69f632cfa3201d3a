using System.Text;

namespace Memfun.Tools.Tests.Files;

/// <summary>
/// Generates edits the way models send them: a region of a real source file copied as old_text with one kind
/// of drift (indentation, tabs, trailing spaces, a slipped letter), and new_text = that old_text plus one added
/// line. Each case knows the file as it must be afterwards: the file's own lines untouched, the added line in
/// the file's indentation. Shared by the corpus test and the edit bench (which runs the reference servers on it).
/// </summary>
public static class EditCorpus
{
    /// <summary>The kinds of drift, in report order.</summary>
    public static readonly string[] Kinds = ["exact", "indent-less", "indent-more", "tabs-spaces", "trailing-spaces", "slip"];

    /// <summary>The corpus's source files (copied next to the test assembly), by name.</summary>
    public static IReadOnlyList<(string Name, string Text)> Sources(string folder) =>
        [.. Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(f => (Path.GetFileName(f), File.ReadAllText(f).Replace("\r\n", "\n", StringComparison.Ordinal)))];

    /// <summary>Up to <paramref name="perKindPerFile"/> cases of every kind for every source, chosen by a fixed seed.</summary>
    public static List<EditCase> Generate(IReadOnlyList<(string Name, string Text)> sources, int perKindPerFile, int seed = 1234)
    {
        var cases = new List<EditCase>();
        foreach (var (name, text) in sources)
        {
            var random = new Random(seed + name.Length);
            var lines = text.Split('\n');
            var tabs = lines.Count(l => l.StartsWith('\t')) > lines.Count(l => l.StartsWith(' '));
            foreach (var kind in Kinds)
            {
                var made = 0;
                for (var attempt = 0; attempt < 400 && made < perKindPerFile; attempt++)
                {
                    var c = TryMake(name, text, lines, tabs, kind, random);
                    if (c is not null && !cases.Exists(x => x.File == c.File && x.OldText == c.OldText))
                    {
                        cases.Add(c);
                        made++;
                    }
                }
            }
        }

        return cases;
    }

    private static EditCase? TryMake(string name, string text, string[] lines, bool tabs, string kind, Random random)
    {
        var size = random.Next(3, 8);
        var start = random.Next(0, Math.Max(1, lines.Length - size - 1));
        var region = lines[start..(start + size)];
        if (region[0].Trim().Length == 0 || region[^1].Trim().Length == 0 || region.Sum(l => l.Trim().Length) < 40)
        {
            return null;
        }

        // The region must be the only place its text appears, even ignoring whitespace: otherwise the edit is
        // ambiguous by construction.
        var joined = string.Join('\n', region);
        if (Occurrences(text, joined) != 1 || Occurrences(Squash(text), Squash(joined)) != 1)
        {
            return null;
        }

        // The line after which one line is added: not the last (the model shows a line after its addition).
        var after = random.Next(0, size - 1);
        if (region[after].Trim().Length == 0)
        {
            return null;
        }

        var fileIndent = Indent(region[after]);
        var statement = Statement(name, random);
        var expectedLines = lines.ToList();
        expectedLines.Insert(start + after + 1, fileIndent + statement);
        var expected = string.Join('\n', expectedLines);

        string[] model;
        switch (kind)
        {
            case "exact":
                model = region;
                break;
            case "indent-less":
                if (region.Any(l => l.Trim().Length > 0 && !l.StartsWith(tabs ? "\t" : "    ", StringComparison.Ordinal)))
                {
                    return null;
                }

                model = [.. region.Select(l => l.Trim().Length == 0 ? l : l[(tabs ? 1 : 4)..])];
                break;
            case "indent-more":
                model = [.. region.Select(l => l.Trim().Length == 0 ? l : (tabs ? "\t" : "    ") + l)];
                break;
            case "tabs-spaces":
                if (!region.Any(l => Indent(l).Length > 0))
                {
                    return null;
                }

                model = [.. region.Select(l => tabs ? TabsToSpaces(l) : SpacesToTabs(l))];
                break;
            case "trailing-spaces":
                model = [.. region.Select((l, i) => i % 2 == 0 && l.Length > 0 ? l + (i % 4 == 0 ? "  " : " \t") : l)];
                break;
            case "slip":
                var slipLine = Enumerable.Range(0, size).Where(i => i != after && Slip(region[i], random) is not null).ToList();
                if (slipLine.Count == 0)
                {
                    return null;
                }

                var which = slipLine[random.Next(slipLine.Count)];
                model = [.. region];
                model[which] = Slip(region[which], random)!;
                if (Occurrences(text, model[which]) > 0)
                {
                    return null;
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }

        var newModel = model.ToList();
        newModel.Insert(after + 1, Indent(model[after]) + statement);
        return new EditCase(name, kind, text, string.Join('\n', model), string.Join('\n', newModel), expected, start + 1);
    }

    private static string Statement(string file, Random random)
    {
        var n = random.Next(1000, 9999);
        return Path.GetExtension(file) switch
        {
            ".py" => $"trace_point({n})",
            ".go" => $"tracePoint({n})",
            ".ts" => $"tracePoint({n});",
            _ => $"TracePoint({n});",
        };
    }

    /// <summary>Drops one letter from the middle of an identifier of at least six letters.</summary>
    private static string? Slip(string line, Random random)
    {
        var words = new List<(int Start, int Length)>();
        for (var i = 0; i < line.Length;)
        {
            if (char.IsLetter(line[i]))
            {
                var j = i;
                while (j < line.Length && char.IsLetterOrDigit(line[j]))
                {
                    j++;
                }

                if (j - i >= 6)
                {
                    words.Add((i, j - i));
                }

                i = j;
            }
            else
            {
                i++;
            }
        }

        if (words.Count == 0)
        {
            return null;
        }

        var (s, len) = words[random.Next(words.Count)];
        var at = s + 1 + random.Next(len - 2);
        return line.Remove(at, 1);
    }

    private static string SpacesToTabs(string line)
    {
        var indent = Indent(line);
        return indent.Length == 0 ? line : new string('\t', indent.Length / 4) + new string(' ', indent.Length % 4) + line[indent.Length..];
    }

    private static string TabsToSpaces(string line)
    {
        var indent = Indent(line);
        return indent.Length == 0 ? line : indent.Replace("\t", "    ", StringComparison.Ordinal) + line[indent.Length..];
    }

    private static string Indent(string line) => line[..(line.Length - line.TrimStart().Length)];

    private static string Squash(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var line in s.Split('\n'))
        {
            sb.Append(string.Join(' ', line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))).Append('\n');
        }

        return sb.ToString();
    }

    private static int Occurrences(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}

/// <summary>One generated edit: the file, the drift kind, what the model sends, and the file as it must be afterwards.</summary>
/// <param name="File">The source file's name.</param>
/// <param name="Kind">One of <see cref="EditCorpus.Kinds"/>.</param>
/// <param name="Original">The file before the edit.</param>
/// <param name="OldText">old_text as the model sends it.</param>
/// <param name="NewText">new_text: old_text with one line added.</param>
/// <param name="Expected">The file after a clean edit.</param>
/// <param name="Line">The 1-based first line of the region in the file.</param>
public sealed record EditCase(string File, string Kind, string Original, string OldText, string NewText, string Expected, int Line);
