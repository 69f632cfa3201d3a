using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Memfun.Engine.Tests.Runtime.Servers;

/// <summary>A real server binary run as a child process on a free loopback port, restartable on the same port and data folder.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly string _binary;
    private readonly Func<int, string, IReadOnlyList<string>> _arguments;
    private readonly StringBuilder _log = new();
    private Process? _process;

    private ServerProcess(string binary, Func<int, string, IReadOnlyList<string>> arguments, string name)
    {
        _binary = binary;
        _arguments = arguments;
        Name = name;
        Port = FreePort();
        DataDirectory = Directory.CreateTempSubdirectory("memfun-" + name + "-").FullName;
    }

    public string Name { get; }

    public int Port { get; }

    /// <summary>The running server's process id (null when stopped).</summary>
    public int? Pid => _process is { HasExited: false } p ? p.Id : null;

    public string DataDirectory { get; }

    /// <summary>Finds <paramref name="binary"/> on PATH (or under /usr/sbin, /usr/bin) and starts it; fails with a message
    /// saying how to install it when it is missing — these tests never skip.</summary>
    public static async Task<ServerProcess> StartAsync(string binary, string package, Func<int, string, IReadOnlyList<string>> arguments)
    {
        var path = Locate(binary) ?? throw new InvalidOperationException(
            $"'{binary}' was not found on PATH. The runtime tests need a real server: install it with 'apt-get install {package}' " +
            "(test.sh and .ci/run do this) and run the tests again.");
        var server = new ServerProcess(path, arguments, binary);
        await server.StartAsync().ConfigureAwait(false);
        return server;
    }

    public async Task StartAsync()
    {
        var psi = new ProcessStartInfo(_binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in _arguments(Port, DataDirectory))
        {
            psi.ArgumentList.Add(a);
        }

        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited at start (code {_process.ExitCode}):\n{Log}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException($"{Name} did not listen on 127.0.0.1:{Port} within 20 s:\n{Log}");
    }

    /// <summary>Kills the server (SIGKILL: no shutdown work) and waits for it to be gone.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Kills the server and starts it again on the same port with the same data folder.</summary>
    public async Task RestartAsync(TimeSpan downFor)
    {
        await KillAsync().ConfigureAwait(false);
        await Task.Delay(downFor).ConfigureAwait(false);
        await StartAsync().ConfigureAwait(false);
    }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync().ConfigureAwait(false);
        _process?.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            if (_log.Length < 200_000)
            {
                _log.AppendLine(line);
            }
        }
    }

    private static string? Locate(string binary)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Concat(["/usr/sbin", "/usr/bin", "/usr/local/bin"]);
        return dirs.Select(d => Path.Combine(d, binary)).FirstOrDefault(File.Exists);
    }
}
