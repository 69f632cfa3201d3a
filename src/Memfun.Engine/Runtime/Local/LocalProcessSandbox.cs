using Memfun.Engine.Runtime.Abstractions;
using Memfun.Tools.Shell;
using Memfun.Tools.Workspace;

namespace Memfun.Engine.Runtime.Local;

/// <summary>Runs commands as local child processes confined to a workspace folder (through <see cref="PathGuard"/>),
/// with a scrubbed environment, a wall-clock limit (the whole process group is killed) and an output cap, on
/// the workspace tools' <see cref="ProcessRunner"/>.</summary>
/// <remarks>This is a limits sandbox, not an isolation boundary: the process runs as the current user. Secrets in
/// the parent's environment (MEMFUN_*, keys, tokens, passwords) do not reach the child; the request's variables
/// do. The interface is ready for container backends.</remarks>
internal sealed class LocalProcessSandbox(string root) : ISandbox
{
    private readonly PathGuard _guard = new(root);
    private readonly ProcessRunner _runner = new();

    public async ValueTask<SandboxResult> RunAsync(SandboxRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((request.FileName is null) == (request.Script is null))
        {
            throw new ArgumentException("Give either a FileName (with Arguments) or a Script, not both and not neither.", nameof(request));
        }

        var cwd = _guard.Resolve(request.WorkingDirectory ?? ".");
        if (!Directory.Exists(cwd))
        {
            throw new ArgumentException($"The working directory '{request.WorkingDirectory}' does not exist.", nameof(request));
        }

        var options = request.Script is { } script
            ? new ProcessRunOptions("/bin/sh") { Arguments = ["-c", script] }
            : new ProcessRunOptions(request.FileName!) { Arguments = request.Arguments };
        options = options with
        {
            WorkingDirectory = cwd,
            Environment = request.Environment,
            ScrubEnvironment = true,
            Timeout = request.Timeout,
            MaxOutputChars = request.MaxOutputChars,
            KeepTail = false,
            MergeStandardError = false,
            StandardInput = request.StandardInput ?? string.Empty,
        };

        ProcessRunResult result;
        try
        {
            result = await _runner.RunAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new ArgumentException($"Cannot start '{options.FileName}': {ex.Message}", nameof(request), ex);
        }

        return new SandboxResult(result.TimedOut ? -1 : result.ExitCode, result.Output, result.StandardError, result.TimedOut, result.OmittedChars > 0, result.Elapsed);
    }
}
