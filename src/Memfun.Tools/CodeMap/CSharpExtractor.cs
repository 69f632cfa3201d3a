using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Memfun.Tools.CodeMap;

/// <summary>
/// C# through Roslyn syntax trees: types (classes, structs, records, interfaces, enums, delegates;
/// nested), methods, constructors, properties, indexers, events, operators and conversion operators,
/// with their full signatures (modifiers, generics, parameters, base lists, constraints). Namespaces
/// are flattened; top-level statements are not mapped.
/// </summary>
internal sealed class CSharpExtractor : ISymbolExtractor
{
    private static readonly CSharpParseOptions Options = new(LanguageVersion.Preview, DocumentationMode.None);

    public string Language => "csharp";

    public IReadOnlyList<CodeSymbol> Extract(string text)
    {
        var source = SourceText.From(text);
        var tree = CSharpSyntaxTree.ParseText(source, Options);
        var root = tree.GetCompilationUnitRoot();
        var result = new List<CodeSymbol>();
        Members(root.Members, source, result, inInterface: false);
        return result;
    }

    private static void Members(SyntaxList<MemberDeclarationSyntax> members, SourceText source, List<CodeSymbol> output, bool inInterface)
    {
        foreach (var member in members)
        {
            switch (member)
            {
                case BaseNamespaceDeclarationSyntax ns:
                    Members(ns.Members, source, output, false);
                    break;
                case EnumDeclarationSyntax e:
                    output.Add(Symbol("enum", e.Identifier.Text, e, e.OpenBraceToken, source, IsPublic(e.Modifiers, inInterface), []));
                    break;
                case TypeDeclarationSyntax t:
                {
                    var children = new List<CodeSymbol>();
                    Members(t.Members, source, children, t is InterfaceDeclarationSyntax);
                    var kind = t switch
                    {
                        RecordDeclarationSyntax r => r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record",
                        _ => t.Keyword.Text,
                    };
                    output.Add(Symbol(kind, t.Identifier.Text, t, t.OpenBraceToken, source, IsPublic(t.Modifiers, inInterface), children));
                    break;
                }

                case DelegateDeclarationSyntax d:
                    output.Add(Symbol("delegate", d.Identifier.Text, d, d.SemicolonToken, source, IsPublic(d.Modifiers, inInterface), []));
                    break;
                case MethodDeclarationSyntax m:
                    output.Add(Symbol("method", m.Identifier.Text, m, BodyStart(m.Body, m.ExpressionBody, m.SemicolonToken), source, IsPublic(m.Modifiers, inInterface) || m.ExplicitInterfaceSpecifier is not null, []));
                    break;
                case ConstructorDeclarationSyntax c:
                    output.Add(Symbol("constructor", c.Identifier.Text, c, c.Initializer?.GetFirstToken() ?? BodyStart(c.Body, c.ExpressionBody, c.SemicolonToken), source, IsPublic(c.Modifiers, inInterface), []));
                    break;
                case DestructorDeclarationSyntax:
                    break;
                case OperatorDeclarationSyntax o:
                    output.Add(Symbol("operator", "operator " + o.OperatorToken.Text, o, BodyStart(o.Body, o.ExpressionBody, o.SemicolonToken), source, IsPublic(o.Modifiers, inInterface), []));
                    break;
                case ConversionOperatorDeclarationSyntax co:
                    output.Add(Symbol("operator", co.ImplicitOrExplicitKeyword.Text + " operator " + co.Type, co, BodyStart(co.Body, co.ExpressionBody, co.SemicolonToken), source, IsPublic(co.Modifiers, inInterface), []));
                    break;
                case PropertyDeclarationSyntax p:
                    output.Add(Property("property", p.Identifier.Text, p, p.AccessorList, p.ExpressionBody, source, IsPublic(p.Modifiers, inInterface) || p.ExplicitInterfaceSpecifier is not null));
                    break;
                case IndexerDeclarationSyntax ix:
                    output.Add(Property("indexer", "this[]", ix, ix.AccessorList, ix.ExpressionBody, source, IsPublic(ix.Modifiers, inInterface)));
                    break;
                case EventDeclarationSyntax ev:
                    output.Add(Symbol("event", ev.Identifier.Text, ev, ev.AccessorList?.OpenBraceToken ?? ev.SemicolonToken, source, IsPublic(ev.Modifiers, inInterface), []));
                    break;
                case EventFieldDeclarationSyntax ef:
                    foreach (var v in ef.Declaration.Variables)
                    {
                        output.Add(Symbol("event", v.Identifier.Text, ef, ef.SemicolonToken, source, IsPublic(ef.Modifiers, inInterface), []));
                    }

                    break;
                case FieldDeclarationSyntax f when f.Modifiers.Any(SyntaxKind.ConstKeyword) && f.Modifiers.Any(SyntaxKind.PublicKeyword):
                    foreach (var v in f.Declaration.Variables)
                    {
                        output.Add(Symbol("const", v.Identifier.Text, f, v.Initializer?.EqualsToken ?? f.SemicolonToken, source, true, []));
                    }

                    break;
            }
        }
    }

    private static SyntaxToken BodyStart(BlockSyntax? body, ArrowExpressionClauseSyntax? arrow, SyntaxToken semicolon) =>
        body?.OpenBraceToken ?? arrow?.ArrowToken ?? semicolon;

    private static bool IsPublic(SyntaxTokenList modifiers, bool inInterface) =>
        modifiers.Any(SyntaxKind.PublicKeyword) || modifiers.Any(SyntaxKind.ProtectedKeyword) ||
        (inInterface && !modifiers.Any(SyntaxKind.PrivateKeyword));

    /// <summary>The declaration's text from its first modifier (after attributes) up to <paramref name="stop"/>.</summary>
    private static CodeSymbol Symbol(string kind, string name, MemberDeclarationSyntax node, SyntaxToken stop, SourceText source, bool isPublic, List<CodeSymbol> children)
    {
        var start = Start(node);
        var end = stop.IsKind(SyntaxKind.None) || stop.IsMissing || stop.SpanStart < start ? node.Span.End : stop.SpanStart;
        var line = source.Lines.GetLineFromPosition(start).LineNumber + 1;
        return new CodeSymbol(kind, name, Collapse(source, start, end), line, isPublic, children);
    }

    private static CodeSymbol Property(string kind, string name, BasePropertyDeclarationSyntax node, AccessorListSyntax? accessors, ArrowExpressionClauseSyntax? arrow, SourceText source, bool isPublic)
    {
        var start = Start(node);
        var end = accessors?.SpanStart ?? arrow?.SpanStart ?? node.Span.End;
        var line = source.Lines.GetLineFromPosition(start).LineNumber + 1;
        var head = Collapse(source, start, end);
        var shape = accessors is null
            ? " { get; }"
            : " { " + string.Join(' ', accessors.Accessors.Where(a => !a.Modifiers.Any(SyntaxKind.PrivateKeyword)).Select(a => a.Keyword.Text + ";")) + " }";
        return new CodeSymbol(kind, name, head + shape, line, isPublic, []);
    }

    private static int Start(MemberDeclarationSyntax node)
    {
        if (node.Modifiers.Count > 0)
        {
            return node.Modifiers[0].SpanStart;
        }

        var first = node.GetFirstToken();
        foreach (var list in node.AttributeLists)
        {
            first = list.GetLastToken().GetNextToken();
        }

        return first.SpanStart;
    }

    private static string Collapse(SourceText source, int start, int end)
    {
        var text = source.ToString(TextSpan.FromBounds(start, Math.Max(start, end)));
        return BraceLanguageExtractor.Collapse(text, 0, text.Length);
    }
}
