using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Memfun.Engine.Repl.Host;

/// <summary>
/// Finds what a submission defines (using directives, types, top-level methods and properties), so a
/// recycled or restarted process can define them again without re-running the submission's statements.
/// </summary>
internal static class DefinitionExtractor
{
    private static readonly CSharpParseOptions Script = CSharpParseOptions.Default.WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Preview);

    /// <summary>
    /// Returns the usings and type declarations, and separately the methods and properties; empty strings when none.
    /// The names of the types, methods, properties and local functions declared are added to <paramref name="declaredNames"/>.
    /// </summary>
    public static (string Types, string Members) Extract(string code, ISet<string> declaredNames)
    {
        var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(code, Script).GetRoot();
        var types = new StringBuilder();
        var members = new StringBuilder();
        foreach (var u in root.Usings)
        {
            types.AppendLine(u.ToString());
        }

        foreach (var member in root.Members)
        {
            switch (member)
            {
                case BaseTypeDeclarationSyntax type:
                    declaredNames.Add(type.Identifier.ValueText);
                    types.AppendLine(member.ToFullString().Trim());
                    break;
                case DelegateDeclarationSyntax d:
                    declaredNames.Add(d.Identifier.ValueText);
                    types.AppendLine(member.ToFullString().Trim());
                    break;
                case MethodDeclarationSyntax method:
                    declaredNames.Add(method.Identifier.ValueText);
                    members.AppendLine(member.ToFullString().Trim());
                    break;
                case PropertyDeclarationSyntax property:
                    declaredNames.Add(property.Identifier.ValueText);
                    members.AppendLine(member.ToFullString().Trim());
                    break;
                case GlobalStatementSyntax { Statement: LocalFunctionStatementSyntax local }:
                    declaredNames.Add(local.Identifier.ValueText);
                    members.AppendLine(local.ToFullString().Trim());
                    break;
            }
        }

        return (types.ToString(), members.ToString());
    }
}
