using System.CommandLine;
using Memfun.Engine.Solving;

namespace Memfun.McpServer.Cli;

/// <summary><c>memfun review</c>: Review a file or folder for defects and give a verdict; never writes.</summary>
internal static class ReviewCommand
{
    public static Command Create() => SolverCommandRunner.Create(
        "review",
        "Review a file or folder for defects and give a verdict; never writes.",
        SolverMode.Review,
        "path",
        "The file or folder, relative to the workspace ('.' for all).");
}
