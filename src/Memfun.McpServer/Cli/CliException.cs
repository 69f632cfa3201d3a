namespace Memfun.McpServer.Cli;

/// <summary>A command-line error with a message for the person at the terminal and an exit code for scripts.</summary>
internal sealed class CliException(string message, int exitCode = 2) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
