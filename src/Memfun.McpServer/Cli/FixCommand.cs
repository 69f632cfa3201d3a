using System.CommandLine;
using Memfun.Engine.Solving;

namespace Memfun.McpServer.Cli;

/// <summary><c>memfun fix</c>: Fix a described problem (the current check failures are added to the context).</summary>
internal static class FixCommand
{
    public static Command Create() => SolverCommandRunner.Create(
        "fix",
        "Fix a described problem (the current check failures are added to the context).",
        SolverMode.Fix,
        "problem",
        "The problem: symptom, error message, where it shows.");
}
