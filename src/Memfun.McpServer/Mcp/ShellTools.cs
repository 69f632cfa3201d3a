using System.ComponentModel;
using Memfun.Tools.Shell;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Mcp;

/// <summary>The shell tool: run_cmd.</summary>
[McpServerToolType]
[Toolset(Hosting.Toolsets.Git)]
internal sealed class ShellTools(CommandRunner runner)
{
    [McpServerTool(Name = "run_cmd", Title = "Run a shell command", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(RunCommandResult))]
    [Description("Runs a command line with /bin/bash -c in the workspace; returns its exit code and output (stdout and stderr " +
        "interleaved; capped at 30,000 characters, keeping the end). Timeout 30 s by default, at most 600 s; the " +
        "command and its children are killed on timeout or cancellation. No stdin, no pager, no server credentials. " +
        "Use read_file/edit_file for files.")]
    public async Task<CallToolResult> RunCmd(
        [Description("A bash command line (pipes, && and redirections work).")] string command,
        [Description("Working folder, relative to the workspace root.")] string? cwd = null,
        [Description("Default 30, at most 600.")] int? timeout_seconds = null,
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
