namespace TextLayout;

/// <summary>Formats a command's options as a two-column help text.</summary>
public static class HelpFormatter
{
    public static string Format(IReadOnlyList<(string Option, string Description)> options, int width = 60)
    {
        var column = options.Max(o => o.Option.Length) + 4;
        var rows = options.Select(o =>
        {
            var wrapped = WordWrapper.Wrap(o.Description, new WrapOptions(width, new string(' ', column)));
            return "  " + o.Option.PadRight(column - 2) + wrapped[column..];
        });
        return string.Join("\n", rows);
    }
}
