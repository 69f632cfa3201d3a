using Memfun.Tools.CodeMap;

namespace Memfun.Tools.Tests.CodeMap;

/// <summary>Flattens extracted symbols to "depth:kind:name@line" strings, so a test states the whole expected shape.</summary>
internal static class SymbolAssert
{
    public static List<string> Shape(IReadOnlyList<CodeSymbol> symbols)
    {
        var list = new List<string>();
        Walk(symbols, 0, list);
        return list;
    }

    public static CodeSymbol Find(IReadOnlyList<CodeSymbol> symbols, string name)
    {
        foreach (var s in symbols)
        {
            if (s.Name == name)
            {
                return s;
            }

            var inner = s.Children.Count > 0 ? TryFind(s.Children, name) : null;
            if (inner is not null)
            {
                return inner;
            }
        }

        throw new Xunit.Sdk.XunitException($"No symbol named '{name}' in: {string.Join(", ", Shape(symbols))}");
    }

    private static CodeSymbol? TryFind(IReadOnlyList<CodeSymbol> symbols, string name)
    {
        try
        {
            return Find(symbols, name);
        }
        catch (Xunit.Sdk.XunitException)
        {
            return null;
        }
    }

    private static void Walk(IReadOnlyList<CodeSymbol> symbols, int depth, List<string> list)
    {
        foreach (var s in symbols)
        {
            list.Add($"{depth}:{s.Kind}:{s.Name}@{s.Line}");
            Walk(s.Children, depth + 1, list);
        }
    }
}
