using System.Text.RegularExpressions;

namespace Memfun.Tools.CodeMap;

/// <summary>
/// JavaScript and TypeScript: classes (abstract, exported, default), interfaces, enums, type aliases,
/// namespaces/modules, functions (async, generators, exported, declared), arrow functions and function
/// expressions assigned to <c>const</c>/<c>let</c>/<c>var</c> or to <c>exports.x</c>, methods, accessors and
/// constructors in classes, and members of interfaces. Function bodies are not mapped.
/// </summary>
internal sealed partial class JavaScriptExtractor(bool typeScript) : BraceLanguageExtractor
{
    public override string Language => typeScript ? "typescript" : "javascript";

    protected override ScrubDialect Dialect => ScrubDialect.JavaScript;

    protected override Declaration? Recognize(string code, SymbolBuilder? container)
    {
        if (container is not null && container.Kind is "class" or "interface")
        {
            return Member(code, container.Kind == "interface");
        }

        if (code.Length < 4)
        {
            return null;
        }

        var exported = code.StartsWith("export ", StringComparison.Ordinal) || code.StartsWith("export\t", StringComparison.Ordinal);
        Match m;
        if ((m = ClassRegex().Match(code)).Success)
        {
            return new Declaration("class", m.Groups["name"].Success ? m.Groups["name"].Value : "default", exported || container is not null, true);
        }

        if ((m = FunctionRegex().Match(code)).Success)
        {
            return new Declaration("function", m.Groups["name"].Success ? m.Groups["name"].Value : "default", exported || container is not null, false);
        }

        if ((m = InterfaceRegex().Match(code)).Success)
        {
            return new Declaration("interface", m.Groups["name"].Value, exported || container is not null, true);
        }

        if ((m = ArrowRegex().Match(code)).Success)
        {
            return new Declaration("function", m.Groups["name"].Value, exported || container is not null, false);
        }

        if ((m = ExportsAssignRegex().Match(code)).Success)
        {
            var name = m.Groups["name"].Value;
            var isMethod = name.Contains(".prototype.", StringComparison.Ordinal);
            return new Declaration(isMethod ? "method" : "function", name, true, false);
        }

        if ((m = EnumRegex().Match(code)).Success)
        {
            return new Declaration("enum", m.Groups["name"].Value, exported || container is not null, false);
        }

        if ((m = TypeAliasRegex().Match(code)).Success)
        {
            return new Declaration("type", m.Groups["name"].Value, exported || container is not null, false);
        }

        if ((m = NamespaceRegex().Match(code)).Success)
        {
            return new Declaration("namespace", m.Groups["name"].Value.Trim('"', '\''), exported || code.StartsWith("declare", StringComparison.Ordinal), true);
        }

        return null;
    }

    private static Declaration? Member(string code, bool inInterface)
    {
        var m = MemberRegex().Match(code);
        if (m.Success)
        {
            var name = m.Groups["name"].Value;
            if (IsKeyword(name))
            {
                return null;
            }

            var modifiers = m.Groups["mods"].Value;
            var isPublic = !modifiers.Contains("private", StringComparison.Ordinal) && !modifiers.Contains("protected", StringComparison.Ordinal) && !name.StartsWith('#');
            var kind = name == "constructor" ? "constructor"
                : modifiers.Contains("get ", StringComparison.Ordinal) || modifiers.Contains("set ", StringComparison.Ordinal) ? "property"
                : "method";
            return new Declaration(kind, name, isPublic, false);
        }

        if (inInterface)
        {
            var p = PropertyRegex().Match(code);
            if (p.Success)
            {
                return new Declaration("property", p.Groups["name"].Value, true, false);
            }

            if (code.StartsWith("new ", StringComparison.Ordinal) || code.StartsWith("new(", StringComparison.Ordinal) || code.StartsWith('(') || code.StartsWith('<'))
            {
                return new Declaration("method", code.StartsWith('n') ? "new" : "call", true, false);
            }

            return null;
        }

        var arrow = ClassArrowRegex().Match(code);
        if (arrow.Success)
        {
            var mods = arrow.Groups["mods"].Value;
            return new Declaration("method", arrow.Groups["name"].Value, !mods.Contains("private", StringComparison.Ordinal) && !mods.Contains("protected", StringComparison.Ordinal) && !arrow.Groups["name"].Value.StartsWith('#'), false);
        }

        return null;
    }

    private static bool IsKeyword(string name) => name is "if" or "for" or "while" or "switch" or "catch" or "return" or "function" or "with" or "super" or "this" or "new" or "typeof" or "await" or "else" or "do" or "try";

    [GeneratedRegex(@"^(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?class(?:\s+(?<name>[A-Za-z_$][\w$]*))?\b", RegexOptions.None, 1000)]
    private static partial Regex ClassRegex();

    [GeneratedRegex(@"^(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:async\s+)?function\b\s*\*?\s*(?<name>[A-Za-z_$][\w$]*)?\s*[<(]", RegexOptions.None, 1000)]
    private static partial Regex FunctionRegex();

    [GeneratedRegex(@"^(?:export\s+)?(?:default\s+)?(?:declare\s+)?interface\s+(?<name>[A-Za-z_$][\w$]*)", RegexOptions.None, 1000)]
    private static partial Regex InterfaceRegex();

    [GeneratedRegex(@"^(?:export\s+)?(?:declare\s+)?(?:const|let|var)\s+(?<name>[A-Za-z_$][\w$]*)\s*(?::[^=]{1,200})?=\s*(?:async\s+)?(?:function\b|(?:<.+?>\s*)?\([^)]*\)\s*(?::\s*[^=]{1,200})?=>|(?:<.+?>\s*)?\(\s*$|\([^)]*$|[A-Za-z_$][\w$]*\s*=>)", RegexOptions.None, 1000)]
    private static partial Regex ArrowRegex();

    [GeneratedRegex(@"^(?<name>(?:module\.)?exports\.[A-Za-z_$][\w$]*|[A-Za-z_$][\w$]*\.prototype\.[A-Za-z_$][\w$]*)\s*=\s*(?:async\s+)?(?:function\b|\([^)]*\)\s*=>)", RegexOptions.None, 1000)]
    private static partial Regex ExportsAssignRegex();

    [GeneratedRegex(@"^(?:export\s+)?(?:declare\s+)?(?:const\s+)?enum\s+(?<name>[A-Za-z_$][\w$]*)", RegexOptions.None, 1000)]
    private static partial Regex EnumRegex();

    [GeneratedRegex(@"^(?:export\s+)?(?:declare\s+)?type\s+(?<name>[A-Za-z_$][\w$]*)\s*(?:<[^=]*>)?\s*=", RegexOptions.None, 1000)]
    private static partial Regex TypeAliasRegex();

    [GeneratedRegex(@"^(?:export\s+)?(?:declare\s+)?(?:namespace|module)\s+(?<name>[\w$.]+|""[^""]*""|'[^']*')\s*\{", RegexOptions.None, 1000)]
    private static partial Regex NamespaceRegex();

    [GeneratedRegex(@"^(?<mods>(?:(?:public|private|protected|static|readonly|abstract|override|async|declare|get|set|accessor)\s+)*)\*?\s*(?<name>#?[A-Za-z_$][\w$]*|\[[^\]]+\]|""[^""]*""|'[^']*')\s*\??\s*(?:<[^()]*>)?\s*\(", RegexOptions.None, 1000)]
    private static partial Regex MemberRegex();

    [GeneratedRegex(@"^(?:readonly\s+)?(?<name>[A-Za-z_$][\w$]*|""[^""]*""|'[^']*')\s*\??\s*:", RegexOptions.None, 1000)]
    private static partial Regex PropertyRegex();

    [GeneratedRegex(@"^(?<mods>(?:(?:public|private|protected|static|readonly|override)\s+)*)(?<name>#?[A-Za-z_$][\w$]*)\s*(?::[^=]{1,200})?=\s*(?:async\s+)?(?:function\b|(?:<[^>]*>\s*)?\([^)]*\)\s*(?::\s*[^=]{1,200})?=>|[A-Za-z_$][\w$]*\s*=>)", RegexOptions.None, 1000)]
    private static partial Regex ClassArrowRegex();
}
