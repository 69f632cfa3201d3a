namespace Memfun.Tools.CodeMap;

/// <summary>A declaration being collected; frozen into a <see cref="CodeSymbol"/> at the end.</summary>
internal sealed class SymbolBuilder(string kind, string name, string signature, int line, bool isPublic, bool isContainer)
{
    public string Kind { get; set; } = kind;

    public string Name { get; } = name;

    public string Signature { get; set; } = signature;

    public int Line { get; } = line;

    public bool IsPublic { get; set; } = isPublic;

    /// <summary>True when declarations inside its braces are its members; false when its body is skipped.</summary>
    public bool IsContainer { get; } = isContainer;

    public List<SymbolBuilder> Children { get; } = [];

    public CodeSymbol Build() => new(Kind, Name, Signature, Line, IsPublic, Children.Count == 0 ? [] : [.. Children.Select(static c => c.Build())]);
}
