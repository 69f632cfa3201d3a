namespace Memfun.Tools.CodeMap;

/// <summary>The structural index of a folder: per file, its declarations.</summary>
/// <param name="Root">The folder mapped, relative to the workspace root ("" for the root).</param>
/// <param name="Files">Files with at least one declaration, sorted by path.</param>
/// <param name="FilesScanned">Source files considered (in a supported language).</param>
/// <param name="FilesParsed">Files parsed by this call (the rest came from the cache).</param>
/// <param name="FilesSkipped">Source files skipped: too large or minified.</param>
public sealed record WorkspaceCodeMap(string Root, IReadOnlyList<CodeMapFile> Files, int FilesScanned, int FilesParsed, int FilesSkipped)
{
    /// <summary>Every declaration in the map.</summary>
    public int SymbolCount => Files.Sum(static f => f.SymbolCount);

    /// <summary>Every line of the files in the map.</summary>
    public long LineCount => Files.Sum(static f => (long)f.Lines);
}
