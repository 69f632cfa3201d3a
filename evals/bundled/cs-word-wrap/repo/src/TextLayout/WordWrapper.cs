using System.Text;

namespace TextLayout;

/// <summary>Greedy word wrapping for console help texts and commit messages.</summary>
public static class WordWrapper
{
    /// <summary>Wraps <paramref name="text"/> so no line is longer than <see cref="WrapOptions.Width"/>.</summary>
    public static string Wrap(string text, WrapOptions options)
    {
        if (options.ContentWidth < 1)
        {
            throw new ArgumentException($"width {options.Width} leaves no room after indent '{options.Indent}'");
        }
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > options.ContentWidth)
            {
                lines.Add(line.ToString());
                line.Clear();
            }
            if (line.Length > 0)
            {
                line.Append(' ');
            }
            line.Append(word);
        }
        if (line.Length > 0)
        {
            lines.Add(line.ToString());
        }
        return string.Join("\n", lines.Select(l => options.Indent + l));
    }
}
