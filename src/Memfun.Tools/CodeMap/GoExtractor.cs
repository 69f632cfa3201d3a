using System.Text.RegularExpressions;

namespace Memfun.Tools.CodeMap;

/// <summary>
/// Go: functions (generic too), methods (attached to their receiver type when it is declared in the
/// same file), struct and interface types with the methods of interfaces, other named types. A name
/// is public when it starts with a capital letter.
/// </summary>
internal sealed partial class GoExtractor : BraceLanguageExtractor
{
    public override string Language => "go";

    protected override ScrubDialect Dialect => ScrubDialect.Go;

    protected override Declaration? Recognize(string code, SymbolBuilder? container)
    {
        Match m;
        if (container is not null)
        {
            if (container.Kind == "interface" && (m = InterfaceMethodRegex().Match(code)).Success)
            {
                return new Declaration("method", m.Groups["name"].Value, IsExported(m.Groups["name"].Value), false);
            }

            return null;
        }

        if ((m = FuncRegex().Match(code)).Success)
        {
            var name = m.Groups["name"].Value;
            return m.Groups["recv"].Success
                ? new Declaration("method", Receiver(m.Groups["recv"].Value) + "." + name, IsExported(name), false)
                : new Declaration("function", name, IsExported(name), false);
        }

        if ((m = TypeRegex().Match(code)).Success)
        {
            var name = m.Groups["name"].Value;
            var kind = m.Groups["kind"].Success ? m.Groups["kind"].Value : "type";
            return new Declaration(kind, name, IsExported(name), kind == "interface");
        }

        return null;
    }

    protected override List<SymbolBuilder> Arrange(List<SymbolBuilder> topLevel)
    {
        var types = new Dictionary<string, SymbolBuilder>(StringComparer.Ordinal);
        foreach (var s in topLevel)
        {
            if (s.Kind is "struct" or "interface" or "type")
            {
                types.TryAdd(s.Name, s);
            }
        }

        var result = new List<SymbolBuilder>(topLevel.Count);
        foreach (var s in topLevel)
        {
            var dot = s.Kind == "method" ? s.Name.IndexOf('.', StringComparison.Ordinal) : -1;
            if (dot > 0 && types.TryGetValue(s.Name[..dot], out var owner))
            {
                owner.Children.Add(new SymbolBuilder("method", s.Name[(dot + 1)..], s.Signature, s.Line, s.IsPublic, false));
                continue;
            }

            result.Add(s);
        }

        return result;
    }

    private static string Receiver(string receiver)
    {
        // "(s *Server[T])" → "Server"
        var m = ReceiverTypeRegex().Match(receiver);
        return m.Success ? m.Groups["type"].Value : receiver.Trim('(', ')', ' ');
    }

    private static bool IsExported(string name) => name.Length > 0 && char.IsUpper(name[0]);

    [GeneratedRegex(@"^func\s*(?<recv>\([^)]*\))?\s*(?<name>[A-Za-z_]\w*)\s*[\[(]", RegexOptions.None, 1000)]
    private static partial Regex FuncRegex();

    [GeneratedRegex(@"^type\s+(?<name>[A-Za-z_]\w*)\s*(?:\[[^\]]*\])?\s*(?:(?<kind>struct|interface)\b)?", RegexOptions.None, 1000)]
    private static partial Regex TypeRegex();

    [GeneratedRegex(@"^(?<name>[A-Za-z_]\w*)\s*\(", RegexOptions.None, 1000)]
    private static partial Regex InterfaceMethodRegex();

    [GeneratedRegex(@"\*?\s*(?<type>[A-Za-z_]\w*)\s*(?:\[[^\]]*\])?\s*\)$", RegexOptions.None, 1000)]
    private static partial Regex ReceiverTypeRegex();
}
