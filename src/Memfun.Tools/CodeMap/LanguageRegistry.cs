namespace Memfun.Tools.CodeMap;

/// <summary>Picks the extractor of a file by its extension.</summary>
internal static class LanguageRegistry
{
    private static readonly ISymbolExtractor CSharp = new CSharpExtractor();
    private static readonly ISymbolExtractor Python = new PythonExtractor();
    private static readonly ISymbolExtractor JavaScript = new JavaScriptExtractor(typeScript: false);
    private static readonly ISymbolExtractor TypeScript = new JavaScriptExtractor(typeScript: true);
    private static readonly ISymbolExtractor Go = new GoExtractor();
    private static readonly ISymbolExtractor Rust = new RustExtractor();
    private static readonly ISymbolExtractor Java = new JavaExtractor();

    /// <summary>The extractor for <paramref name="path"/>, or null for files in no supported language.</summary>
    public static ISymbolExtractor? For(string path)
    {
        var ext = Path.GetExtension(path.AsSpan());
        if (path.EndsWith(".min.js", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return ext switch
        {
            ".cs" => CSharp,
            ".py" or ".pyi" => Python,
            ".js" or ".jsx" or ".mjs" or ".cjs" => JavaScript,
            ".ts" or ".tsx" or ".mts" or ".cts" => TypeScript,
            ".go" => Go,
            ".rs" => Rust,
            ".java" => Java,
            _ => null,
        };
    }
}
