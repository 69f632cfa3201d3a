using System.ComponentModel;
using Memfun.Tools.Shell;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Mcp;

/// <summary>The shell tool: run_cmd.</summary>
[McpServerToolType]
internal sealed class ShellTools(CommandRunner runner)
{
    [McpServerTool(Name = "run_cmd", Title = "Run a shell command", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(RunCommandResult))]
    [Description(
        "Runs a shell command line with /bin/bash -c in the workspace (or a folder of it) and returns its output " +
        "(stdout and stderr interleaved) and exit code. Default timeout 30 s, at most 600 s; on timeout or cancellation the " +
        "command and every process it started are killed. Output is capped at 30,000 characters, keeping the end (where " +
        "errors usually are). Standard input is closed, pagers are off, and the server's credentials (API keys, tokens) are " +
        "not in the environment. Background processes do not outlive the command. Use it to build, test, lint and inspect; " +
        "use read_file/edit_file rather than cat/sed for files.")]
    public async Task<CallToolResult> RunCmd(
        [Description("The command line, as you would type it in bash (pipes, && and redirections work).")] string command,
        [Description("Working folder relative to the workspace root. Default: the root.")] string? cwd = null,
        [Description("Seconds before the command is killed. Default 30, at most 600.")] int? timeout_seconds = null,
        IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var report = progress is null ? null : new ForwardingProgress<ProcessProgress>(p => progress.Report(new ProgressNotificationValue
        {
            Progress = (float)p.Elapsed.TotalSeconds,
            Message = $"running for {p.Elapsed.TotalSeconds:0} s, {p.OutputLines} lines of output so far",
        }));
        var r = await runner.RunAsync(command, cwd, timeout_seconds, report, cancellationToken);
        var result = ToolResults.Structured(CommandRunner.Describe(r, timeout_seconds), r);
        // A command the timeout killed did not finish: that is an error result (its output so far is still there).
        result.IsError = r.TimedOut ? true : null;
        return result;
    }
}
