namespace Memfun.Tools.CodeMap;

/// <summary>Finds the declarations of one language in a source text.</summary>
/// <remarks>Implementations are stateless and thread-safe; they never throw on malformed code (they return what they could find).</remarks>
internal interface ISymbolExtractor
{
    /// <summary>The language name reported in the map.</summary>
    string Language { get; }

    /// <summary>The top-level declarations of <paramref name="text"/>, members nested.</summary>
    IReadOnlyList<CodeSymbol> Extract(string text);
}
