using System.CommandLine;
using Memfun.Engine.Solving;

namespace Memfun.McpServer.Cli;

/// <summary><c>memfun analyze</c>: Explain a file or folder of the workspace; never writes.</summary>
internal static class AnalyzeCommand
{
    public static Command Create() => SolverCommandRunner.Create(
        "analyze",
        "Explain a file or folder of the workspace; never writes.",
        SolverMode.Analyze,
        "path",
        "The file or folder, relative to the workspace ('.' for all).");
}
