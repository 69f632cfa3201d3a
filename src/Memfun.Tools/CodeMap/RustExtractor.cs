using System.Text.RegularExpressions;

namespace Memfun.Tools.CodeMap;

/// <summary>
/// Rust: functions (pub, const, async, unsafe, extern, generic, with where-clauses), structs, enums,
/// unions, traits with their methods, impl blocks (inherent and trait impls) with their items, type
/// aliases, modules (nested) and macro_rules. A name is public when declared <c>pub</c>.
/// </summary>
internal sealed partial class RustExtractor : BraceLanguageExtractor
{
    public override string Language => "rust";

    protected override ScrubDialect Dialect => ScrubDialect.Rust;

    protected override Declaration? Recognize(string code, SymbolBuilder? container)
    {
        Match m;
        if ((m = FnRegex().Match(code)).Success)
        {
            var inTraitOrImpl = container is not null && container.Kind is "trait" or "impl";
            var isPublic = m.Groups["pub"].Success || container?.Kind == "trait";
            return new Declaration(inTraitOrImpl ? "method" : "function", m.Groups["name"].Value, isPublic, false, SpansLines: true);
        }

        if ((m = ImplRegex().Match(code)).Success)
        {
            var target = m.Groups["target"].Value.Trim();
            var forAt = target.LastIndexOf(" for ", StringComparison.Ordinal);
            var name = forAt >= 0 ? target[(forAt + 5)..].Trim() : target;
            var cut = name.IndexOfAny([' ', '{']);
            name = cut > 0 ? name[..cut] : name;
            return new Declaration("impl", name, true, true, SpansLines: true);
        }

        if ((m = ItemRegex().Match(code)).Success)
        {
            var kind = m.Groups["kind"].Value;
            return new Declaration(kind == "mod" ? "module" : kind, m.Groups["name"].Value, m.Groups["pub"].Success, kind is "trait" or "mod", SpansLines: kind != "type");
        }

        if ((m = MacroRegex().Match(code)).Success)
        {
            return new Declaration("macro", m.Groups["name"].Value + "!", true, false);
        }

        return null;
    }

    [GeneratedRegex(@"^(?<pub>pub(?:\s*\([^)]*\))?\s+)?(?:default\s+)?(?:(?:const|async|unsafe|extern(?:\s+""[^""]*"")?)\s+)*fn\s+(?<name>[A-Za-z_]\w*)", RegexOptions.None, 1000)]
    private static partial Regex FnRegex();

    [GeneratedRegex(@"^(?:unsafe\s+)?impl\b\s*(?:<[^{]*?>)?\s*(?<target>[^{;]+)", RegexOptions.None, 1000)]
    private static partial Regex ImplRegex();

    [GeneratedRegex(@"^(?<pub>pub(?:\s*\([^)]*\))?\s+)?(?:unsafe\s+)?(?:auto\s+)?(?<kind>struct|enum|union|trait|type|mod)\s+(?<name>[A-Za-z_]\w*)", RegexOptions.None, 1000)]
    private static partial Regex ItemRegex();

    [GeneratedRegex(@"^macro_rules!\s*(?<name>[A-Za-z_]\w*)", RegexOptions.None, 1000)]
    private static partial Regex MacroRegex();
}
