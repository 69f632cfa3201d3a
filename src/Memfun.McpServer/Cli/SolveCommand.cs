using System.CommandLine;
using Memfun.Engine.Solving;

namespace Memfun.McpServer.Cli;

/// <summary><c>memfun solve</c>: Carry out a coding task in the workspace, verified and reviewed (the MCP tool 'solve').</summary>
internal static class SolveCommand
{
    public static Command Create() => SolverCommandRunner.Create(
        "solve",
        "Carry out a coding task in the workspace, verified and reviewed (the MCP tool 'solve').",
        SolverMode.Solve,
        "task",
        "The task, in a sentence or more.");
}
