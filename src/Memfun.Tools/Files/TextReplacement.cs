namespace Memfun.Tools.Files;

/// <summary>Replace <paramref name="Length"/> characters at <paramref name="Start"/> with <paramref name="Text"/>; <paramref name="Line"/> is the 1-based line where the match starts.</summary>
internal readonly record struct TextReplacement(int Start, int Length, string Text, int Line);
