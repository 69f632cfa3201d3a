using System.Diagnostics;
using System.Text;
using Memfun.Engine.Runtime.Abstractions;
using Memfun.Tools.Workspace;

namespace Memfun.Engine.Runtime.Local;

/// <summary>Runs commands as local child processes confined to a workspace folder (through <see cref="PathGuard"/>),
/// with a minimal environment, a wall-clock limit (the whole process tree is killed) and an output cap.</summary>
/// <remarks>This is a limits sandbox, not an isolation boundary: the process runs as the current user. The
/// environment passed on is PATH, HOME, LANG, TMPDIR, USER and SHELL plus the request's variables, so secrets in
/// the parent's environment do not reach the child.</remarks>
internal sealed class LocalProcessSandbox(string root) : ISandbox
{
    private static readonly string[] Passed = ["PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER", "SHELL", "DOTNET_ROOT", "SystemRoot", "TEMP", "TMP"];

    private readonly PathGuard _guard = new(root);

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

        var psi = new ProcessStartInfo
        {
            WorkingDirectory = cwd,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (request.Script is { } script)
        {
            psi.FileName = OperatingSystem.IsWindows() ? "cmd.exe" : "/bin/sh";
            psi.ArgumentList.Add(OperatingSystem.IsWindows() ? "/c" : "-c");
            psi.ArgumentList.Add(script);
        }
        else
        {
            psi.FileName = request.FileName!;
            foreach (var a in request.Arguments)
            {
                psi.ArgumentList.Add(a);
            }
        }

        psi.Environment.Clear();
        foreach (var name in Passed)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                psi.Environment[name] = value;
            }
        }

        foreach (var (k, v) in request.Environment)
        {
            if (v is null)
            {
                psi.Environment.Remove(k);
            }
            else
            {
                psi.Environment[k] = v;
            }
        }

        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new ArgumentException($"Cannot start '{psi.FileName}': {ex.Message}", nameof(request), ex);
        }

        var stdout = new CappedText(request.MaxOutputChars);
        var stderr = new CappedText(request.MaxOutputChars);
        var readOut = PumpAsync(process.StandardOutput, stdout);
        var readErr = PumpAsync(process.StandardError, stderr);
        try
        {
            if (request.StandardInput is { } input)
            {
                await process.StandardInput.WriteAsync(input).ConfigureAwait(false);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The process exited without reading its input.
        }

        var timedOut = false;
        using (var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            limit.CancelAfter(request.Timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                timedOut = !cancellationToken.IsCancellationRequested;
                Kill(process);
                if (!timedOut)
                {
                    throw;
                }
            }
        }

        await Task.WhenAll(readOut, readErr).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
        return new SandboxResult(timedOut ? -1 : process.ExitCode, stdout.ToString(), stderr.ToString(), timedOut,
            stdout.Truncated || stderr.Truncated, clock.Elapsed);
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static async Task PumpAsync(StreamReader reader, CappedText sink)
    {
        var buffer = new char[8192];
        int n;
        while ((n = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            sink.Append(buffer.AsSpan(0, n));
        }
    }

    private sealed class CappedText(int max)
    {
        private readonly StringBuilder _text = new();

        public bool Truncated { get; private set; }

        public void Append(ReadOnlySpan<char> chunk)
        {
            var room = max - _text.Length;
            if (chunk.Length > room)
            {
                Truncated = true;
                chunk = chunk[..Math.Max(room, 0)];
            }

            _text.Append(chunk);
        }

        public override string ToString() => _text.ToString();
    }
}
