using System.CommandLine;
using Memfun.Engine.Solving;

namespace Memfun.McpServer.Cli;

/// <summary><c>memfun ask</c>: Answer a question about the workspace's code; never writes.</summary>
internal static class AskCommand
{
    public static Command Create() => SolverCommandRunner.Create(
        "ask",
        "Answer a question about the workspace's code; never writes.",
        SolverMode.Ask,
        "question",
        "The question.");
}
