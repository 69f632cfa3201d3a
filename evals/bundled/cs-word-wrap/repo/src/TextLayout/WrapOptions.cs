namespace TextLayout;

/// <summary>How to wrap: the line width and an optional prefix for every line (e.g. "> " or "  ").</summary>
public sealed record WrapOptions(int Width, string Indent = "")
{
    public int ContentWidth => Width - Indent.Length;
}
