namespace Memfun.Tools.Files;

/// <summary>
/// How a text indents: with tabs or with spaces, and how many spaces make one level. Used to carry an
/// added line's indentation from the model's style (what it sent) into the file's.
/// </summary>
/// <remarks>Immutable and thread-safe. Indentation is measured in levels: a tab is one level, a space 1/<see cref="SpacesPerLevel"/>.</remarks>
internal sealed record IndentStyle(bool Tabs, int SpacesPerLevel)
{
    /// <summary>Four spaces, the style assumed when a text has too little indentation to tell.</summary>
    public static readonly IndentStyle Default = new(false, 4);

    /// <summary>Detects the style of <paramref name="lines"/>; <paramref name="fallback"/> when they do not show one.</summary>
    /// <param name="lines">The lines.</param>
    /// <param name="fallback">The style to assume when the lines do not tell (four spaces when null).</param>
    /// <param name="preferFallbackUnit">Keep the fallback's spaces per level whenever every indentation step is a multiple of it
    /// (for a few lines of a model's text, whose steps say less than a whole file's).</param>
    public static IndentStyle Detect(IEnumerable<string> lines, IndentStyle? fallback = null, bool preferFallbackUnit = false)
    {
        int tabs = 0, spaces = 0, previous = 0;
        var deltas = new Dictionary<int, int>();
        foreach (var line in lines)
        {
            if (line.Trim().Length == 0)
            {
                continue;
            }

            if (line[0] == '\t')
            {
                tabs++;
                continue;
            }

            var width = LeadingSpaces(line);
            if (width > 0)
            {
                spaces++;
            }

            var delta = Math.Abs(width - previous);
            if (delta is > 0 and <= 8)
            {
                deltas[delta] = deltas.GetValueOrDefault(delta) + 1;
            }

            previous = width;
        }

        fallback ??= Default;
        if (tabs == 0 && spaces == 0)
        {
            return fallback;
        }

        if (tabs > spaces)
        {
            return new IndentStyle(true, fallback.SpacesPerLevel);
        }

        if (deltas.Count == 0 || (preferFallbackUnit && deltas.Keys.All(d => d % fallback.SpacesPerLevel == 0)))
        {
            return new IndentStyle(false, fallback.SpacesPerLevel);
        }

        // The unit is the most frequent step (the smaller one on a tie): one level in, one level out.
        var unit = deltas.OrderByDescending(d => d.Value).ThenBy(d => d.Key).First().Key;
        return new IndentStyle(false, unit);
    }

    /// <summary>The line's leading whitespace.</summary>
    public static string IndentOf(string line) => line[..(line.Length - line.AsSpan().TrimStart().Length)];

    /// <summary>The indentation of <paramref name="indent"/> in levels of this style.</summary>
    public double Levels(string indent)
    {
        double levels = 0;
        var run = 0;
        foreach (var ch in indent)
        {
            if (ch == '\t')
            {
                levels += 1 + Math.Floor((double)run / SpacesPerLevel);
                run = 0;
            }
            else
            {
                run++;
            }
        }

        return levels + ((double)run / SpacesPerLevel);
    }

    /// <summary>Writes <paramref name="levels"/> of indentation in this style.</summary>
    public string Render(double levels)
    {
        if (levels <= 0)
        {
            return string.Empty;
        }

        if (!Tabs)
        {
            return new string(' ', (int)Math.Round(levels * SpacesPerLevel, MidpointRounding.AwayFromZero));
        }

        var whole = (int)Math.Floor(levels + 1e-9);
        var rest = (int)Math.Round((levels - whole) * SpacesPerLevel, MidpointRounding.AwayFromZero);
        return new string('\t', whole) + new string(' ', rest);
    }

    private static int LeadingSpaces(string line)
    {
        var i = 0;
        while (i < line.Length && line[i] == ' ')
        {
            i++;
        }

        return i;
    }
}
