using System.CommandLine;
using Memfun.Engine.Repl.Host;

namespace Memfun.McpServer.Cli;

/// <summary>
/// <c>memfun repl-host</c> (hidden): the child process of one REPL session. The server starts it;
/// it speaks the REPL protocol on stdin/stdout and is not meant to be run by hand.
/// </summary>
internal static class ReplHostCommand
{
    public static Command Create()
    {
        var command = new Command("repl-host", "Internal: the C# REPL child process of an MCP REPL session (speaks a line protocol on stdin/stdout).")
        {
            Hidden = true,
        };
        command.SetAction(async (_, cancellationToken) => await ReplHostServer.RunAsync(cancellationToken));
        return command;
    }
}
