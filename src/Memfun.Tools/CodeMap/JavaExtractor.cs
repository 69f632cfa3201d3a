using System.Text.RegularExpressions;

namespace Memfun.Tools.CodeMap;

/// <summary>
/// Java: classes, interfaces, enums, records and annotation types (nested too), methods (generic,
/// with throws clauses, over several lines) and constructors. Annotations on their own line are skipped.
/// </summary>
internal sealed partial class JavaExtractor : BraceLanguageExtractor
{
    public override string Language => "java";

    protected override ScrubDialect Dialect => ScrubDialect.Java;

    protected override Declaration? Recognize(string code, SymbolBuilder? container)
    {
        if (code.StartsWith('@') && !code.StartsWith("@interface", StringComparison.Ordinal))
        {
            // An annotation line; a declaration may follow on the same line.
            var rest = AnnotationRegex().Replace(code, string.Empty).TrimStart();
            if (rest.Length == 0 || rest == code)
            {
                return null;
            }

            code = rest;
        }

        Match m;
        if ((m = TypeRegex().Match(code)).Success)
        {
            var mods = m.Groups["mods"].Value;
            var kind = m.Groups["kind"].Value == "@interface" ? "annotation" : m.Groups["kind"].Value;
            return new Declaration(kind, m.Groups["name"].Value, IsPublic(mods, container), true, SpansLines: true);
        }

        if (container is null)
        {
            return null;
        }

        if ((m = MethodRegex().Match(code)).Success)
        {
            var name = m.Groups["name"].Value;
            var type = m.Groups["type"].Value.Trim();
            if (!IsKeyword(name) && !IsKeyword(type) && !IsModifier(type) && type.Length > 0)
            {
                return new Declaration("method", name, IsPublic(m.Groups["mods"].Value, container), false, SpansLines: true);
            }
        }

        if ((m = ConstructorRegex().Match(code)).Success && m.Groups["name"].Value == container.Name)
        {
            return new Declaration("constructor", m.Groups["name"].Value, IsPublic(m.Groups["mods"].Value, container), false, SpansLines: true);
        }

        return null;
    }

    private static bool IsPublic(string modifiers, SymbolBuilder? container) =>
        modifiers.Contains("public", StringComparison.Ordinal) || (container?.Kind is "interface" or "annotation" && !modifiers.Contains("private", StringComparison.Ordinal));

    private static bool IsModifier(string word) => word is "public" or "protected" or "private" or "static" or "final" or "abstract" or "synchronized" or "native" or "default" or "strictfp";

    private static bool IsKeyword(string word) => word is "return" or "new" or "throw" or "else" or "if" or "for" or "while" or "switch" or "catch" or "case" or "do" or "try" or "synchronized" or "yield";

    [GeneratedRegex(@"^@[\w.]+(?:\([^)]*\))?\s*", RegexOptions.None, 1000)]
    private static partial Regex AnnotationRegex();

    [GeneratedRegex(@"^(?<mods>(?:(?:public|protected|private|static|final|abstract|sealed|non-sealed|strictfp)\s+)*)(?<kind>class|interface|enum|record|@interface)\s+(?<name>[A-Za-z_$][\w$]*)", RegexOptions.None, 1000)]
    private static partial Regex TypeRegex();

    [GeneratedRegex(@"^(?<mods>(?:(?:public|protected|private|static|final|abstract|synchronized|native|default|strictfp)\s+)*)(?:<[^()]*>\s+)?(?<type>[A-Za-z_$][\w$.]*(?:\s*<[^()]*>)?(?:\s*\[\s*\])*)\s+(?<name>[A-Za-z_$][\w$]*)\s*\(", RegexOptions.None, 1000)]
    private static partial Regex MethodRegex();

    [GeneratedRegex(@"^(?<mods>(?:(?:public|protected|private)\s+)*)(?:<[^()]*>\s+)?(?<name>[A-Za-z_$][\w$]*)\s*\(", RegexOptions.None, 1000)]
    private static partial Regex ConstructorRegex();
}
