using System.Diagnostics;
using System.Text;
using Memfun.Tools.Workspace;

namespace Memfun.Engine.Solving;

/// <summary>
/// The built-in <see cref="ICommandRunner"/>: <c>/bin/sh -c</c> (or <c>cmd /c</c>) in the workspace root, output
/// captured (tail 16 000 characters), the process tree killed on timeout or cancellation; variables that look
/// like secrets are removed from the child's environment.
/// </summary>
/// <remarks>Thread-safe. Stands in for the Shell tool (run_cmd).</remarks>
internal sealed class ShellCommandRunner(PathGuard guard) : ICommandRunner
{
    private const int MaxOutput = 16_000;
    private static readonly string[] SecretMarkers = ["KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL", "AUTH"];

    public async Task<CommandOutcome> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        var psi = OperatingSystem.IsWindows()
            ? new ProcessStartInfo("cmd.exe") { ArgumentList = { "/c", command } }
            : new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", command } };
        psi.WorkingDirectory = guard.Root;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.RedirectStandardInput = true;
        psi.UseShellExecute = false;
        foreach (var name in psi.Environment.Keys.ToList())
        {
            var upper = name.ToUpperInvariant();
            if (SecretMarkers.Any(m => upper.Contains(m, StringComparison.Ordinal)))
            {
                psi.Environment.Remove(name);
            }
        }

        psi.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";

        var output = new StringBuilder();
        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }

            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            timedOut = true;
        }

        // Drain the asynchronous readers.
        process.WaitForExit();
        string text;
        lock (output)
        {
            text = output.ToString();
        }

        if (text.Length > MaxOutput)
        {
            text = "…" + text[^MaxOutput..];
        }

        if (timedOut)
        {
            text += $"\n[killed after {timeout.TotalSeconds:0.#} s]";
        }

        return new CommandOutcome(timedOut ? -1 : process.ExitCode, text, timedOut);
    }

    public bool IsInstalled(string tool)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate) || (OperatingSystem.IsWindows() && File.Exists(candidate + ".exe")))
            {
                return true;
            }
        }

        return false;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Append(line).Append('\n');
            if (output.Length > MaxOutput * 2)
            {
                output.Remove(0, output.Length - MaxOutput);
            }
        }
    }
}
