using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Memfun.Engine.Rlm.Host;

/// <summary>
/// Finds what a submission defines (using directives, types, top-level methods and properties), so a
/// recycled or restarted process can define them again without re-running the submission's statements.
/// </summary>
internal static class DefinitionExtractor
{
    private static readonly CSharpParseOptions Script = CSharpParseOptions.Default.WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Preview);

    /// <summary>Returns the usings and type declarations, and separately the methods and properties; empty strings when none.</summary>
    public static (string Types, string Members) Extract(string code)
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
                case BaseTypeDeclarationSyntax or DelegateDeclarationSyntax:
                    types.AppendLine(member.ToFullString().Trim());
                    break;
                case MethodDeclarationSyntax or PropertyDeclarationSyntax:
                    members.AppendLine(member.ToFullString().Trim());
                    break;
                case GlobalStatementSyntax { Statement: LocalFunctionStatementSyntax local }:
                    members.AppendLine(local.ToFullString().Trim());
                    break;
            }
        }

        return (types.ToString(), members.ToString());
    }
}
