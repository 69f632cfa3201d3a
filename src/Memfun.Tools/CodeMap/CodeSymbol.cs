namespace Memfun.Tools.CodeMap;

/// <summary>One declaration in a source file: a type, function, method, property or similar.</summary>
/// <param name="Kind">What it is: class, struct, interface, enum, record, trait, impl, function, method, constructor, property, type, module….</param>
/// <param name="Name">Its name as written.</param>
/// <param name="Signature">The declaration without its body, on one line (whitespace collapsed).</param>
/// <param name="Line">The 1-based line of the declaration.</param>
/// <param name="IsPublic">True when it is part of the file's public surface (exported, public, capitalised in Go, no leading '_' in Python).</param>
/// <param name="Children">Members (methods of a class, items of an impl block, nested types), in source order.</param>
public sealed record CodeSymbol(string Kind, string Name, string Signature, int Line, bool IsPublic, IReadOnlyList<CodeSymbol> Children)
{
    /// <summary>This symbol and every descendant.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int Count => 1 + Children.Sum(static c => c.Count);
}
