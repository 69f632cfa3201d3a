using System.Text.Json;
using Memfun.Engine.Runtime.Abstractions;

namespace Memfun.Engine.Runtime.Workers;

/// <summary><c>run_cmd</c>: runs <c>{"script": "...", "cwd": ".", "timeout_seconds": 60}</c> in the worker's sandbox and
/// returns <c>{"exit_code", "stdout", "stderr", "timed_out"}</c>. A non-zero exit is a result, not a failure.</summary>
internal sealed class RunCommandTaskHandler : ITaskHandler
{
    public string Kind => "run_cmd";

    public async ValueTask<string> HandleAsync(TaskContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var doc = JsonDocument.Parse(context.Payload);
        var root = doc.RootElement;
        var script = root.TryGetProperty("script", out var s) ? s.GetString() : null;
        if (string.IsNullOrWhiteSpace(script))
        {
            throw new ArgumentException("A run_cmd task needs a non-empty \"script\".");
        }

        var request = new SandboxRequest
        {
            Script = script,
            WorkingDirectory = root.TryGetProperty("cwd", out var cwd) ? cwd.GetString() : null,
            Timeout = TimeSpan.FromSeconds(root.TryGetProperty("timeout_seconds", out var t) ? Math.Clamp(t.GetDouble(), 1, 3600) : 60),
        };
        var result = await context.Sandbox.RunAsync(request, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Serialize(new
        {
            exit_code = result.ExitCode,
            stdout = result.StandardOutput,
            stderr = result.StandardError,
            timed_out = result.TimedOut,
        });
    }
}
