namespace Memfun.Tools.CodeMap;

/// <summary>The declarations of one file.</summary>
/// <param name="Path">Relative to the workspace root, '/' separators.</param>
/// <param name="Language">csharp, python, javascript, typescript, go, rust or java.</param>
/// <param name="Lines">The number of lines.</param>
/// <param name="Symbols">Top-level declarations in source order, members nested.</param>
public sealed record CodeMapFile(string Path, string Language, int Lines, IReadOnlyList<CodeSymbol> Symbols)
{
    /// <summary>Every declaration in the file, members included.</summary>
    public int SymbolCount => Symbols.Sum(static s => s.Count);
}
