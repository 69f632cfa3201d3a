using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Tests.Infrastructure;

/// <summary>
/// Launches the built <c>memfun</c> server as a real child process and connects the C# SDK's client
/// to it, over stdio or Streamable HTTP.
/// </summary>
public static class MemfunServerProcess
{
    /// <summary>The built server assembly next to the test assembly (the project reference copies it).</summary>
    public static string ServerDll { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "memfun.dll");

    /// <summary>Starts <c>memfun serve --stdio</c> on <paramref name="workspace"/> and returns a connected client.</summary>
    public static async Task<McpClient> StartStdioAsync(
        string workspace,
        IDictionary<string, string?>? environment = null,
        McpClientOptions? clientOptions = null,
        IEnumerable<string>? extraArgs = null,
        CancellationToken cancellationToken = default)
    {
        var stderr = new Queue<string>();
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "memfun",
            Command = "dotnet",
            Arguments = [ServerDll, "serve", "--stdio", "--workspace", workspace, .. extraArgs ?? []],
            WorkingDirectory = workspace,
            EnvironmentVariables = environment ?? new Dictionary<string, string?>(),
            ShutdownTimeout = TimeSpan.FromSeconds(10),
            StandardErrorLines = line =>
            {
                lock (stderr)
                {
                    stderr.Enqueue(line);
                    if (stderr.Count > 40)
                    {
                        stderr.Dequeue();
                    }
                }
            },
        });
        clientOptions = Patient(clientOptions);
        var started = Stopwatch.StartNew();
        try
        {
            return await McpClient.CreateAsync(new SchemaCheckingTransport(transport), clientOptions, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or IOException or InvalidOperationException)
        {
            // A handshake that fails says what the server printed, so a failure on a CI machine can be diagnosed from its log.
            string tail;
            lock (stderr)
            {
                tail = string.Join("\n", stderr);
            }

            throw new InvalidOperationException(
                $"memfun serve --stdio did not complete the handshake after {started.Elapsed.TotalSeconds:0.0} s ({e.GetType().Name}: {e.Message}). Its last stderr lines:\n{tail}", e);
        }
    }

    /// <summary>Like <see cref="StartStdioAsync"/>, and hands every stderr line of the server to <paramref name="standardError"/>.</summary>
    public static async Task<McpClient> StartStdioCapturingStderrAsync(
        string workspace,
        Action<string> standardError,
        McpClientOptions? clientOptions = null,
        IEnumerable<string>? extraArgs = null,
        CancellationToken cancellationToken = default)
    {
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "memfun",
            Command = "dotnet",
            Arguments = [ServerDll, "serve", "--stdio", "--workspace", workspace, .. extraArgs ?? []],
            WorkingDirectory = workspace,
            StandardErrorLines = standardError,
            ShutdownTimeout = TimeSpan.FromSeconds(10),
        });
        return await McpClient.CreateAsync(new SchemaCheckingTransport(transport), Patient(clientOptions), cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The client options with a handshake limit that suits a CI machine: the SDK's 60 s is tight when three test assemblies
    /// share two loaded cores. A test host that answers sampling declares tool use in it (<c>sampling.tools</c>), as a host
    /// lending its model to memfun's agents must, unless the test set its own sampling capability.
    /// </summary>
    internal static McpClientOptions Patient(McpClientOptions? options)
    {
        options ??= new McpClientOptions();
        options.InitializationTimeout = TimeSpan.FromMinutes(3);
#pragma warning disable MCP9005 // sampling is how the test hosts lend their model
        if (options.Handlers.SamplingHandler is not null && options.Capabilities?.Sampling is null)
        {
            options.Capabilities ??= new ClientCapabilities();
            options.Capabilities.Sampling = new SamplingCapability { Tools = new SamplingToolsCapability() };
        }
#pragma warning restore MCP9005

        return options;
    }

    /// <summary>Starts <c>memfun serve --http</c> on a free loopback port (or <paramref name="port"/>); dispose the result to stop it.</summary>
    public static async Task<HttpServerProcess> StartHttpAsync(
        string workspace,
        IEnumerable<string>? extraArgs = null,
        IDictionary<string, string?>? environment = null,
        CancellationToken cancellationToken = default,
        int? port = null)
    {
        port ??= FreePort();
        var psi = ServerStartInfo(workspace, ["serve", "--http", "--urls", $"http://127.0.0.1:{port}", "--workspace", workspace, .. extraArgs ?? []], environment);
        var process = Process.Start(psi)!;
        var server = new HttpServerProcess(process, new Uri($"http://127.0.0.1:{port}/mcp"));
        await server.WaitUntilListeningAsync(cancellationToken);
        return server;
    }

    /// <summary>
    /// Starts <c>memfun serve --stdio</c> with raw redirected streams, for tests that speak the wire
    /// format themselves (malformed lines, closing stdin early). The caller owns the process.
    /// </summary>
    public static Process StartRawStdio(string workspace, IEnumerable<string>? extraArgs = null, IDictionary<string, string?>? environment = null)
    {
        var psi = ServerStartInfo(workspace, ["serve", "--stdio", "--workspace", workspace, .. extraArgs ?? []], environment);
        psi.StandardOutputEncoding = new System.Text.UTF8Encoding(false);
        return Process.Start(psi)!;
    }

    /// <summary>
    /// Runs a one-shot <c>memfun</c> command (<c>init</c>, <c>ask</c>, <c>skill run</c>…) to its end with
    /// <paramref name="stdin"/> as its input (closed right after) and returns its exit code and both outputs.
    /// </summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> RunCommandAsync(
        string workspace, IDictionary<string, string?> environment, string? stdin, params string[] args)
    {
        var psi = ServerStartInfo(workspace, args, environment);
        using var p = Process.Start(psi)!;
        if (stdin is not null)
        {
            await p.StandardInput.WriteLineAsync(stdin);
        }

        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// <c>dotnet memfun.dll</c> with <paramref name="args"/>, run in <paramref name="workspace"/> with all three
    /// streams redirected and <paramref name="environment"/> set on top of this process's.
    /// </summary>
    private static ProcessStartInfo ServerStartInfo(string workspace, IEnumerable<string> args, IDictionary<string, string?>? environment)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workspace,
        };
        psi.ArgumentList.Add(ServerDll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment ?? new Dictionary<string, string?>())
        {
            psi.Environment[k] = v;
        }

        return psi;
    }

    /// <summary>The JSON-RPC initialize request line for the 2025-11-25 protocol.</summary>
    public static string InitializeLine(int id = 1, string capabilities = "{}") =>
        "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":" + capabilities +
        ",\"clientInfo\":{\"name\":\"memfun-tests\",\"version\":\"1\"}}}";

    /// <summary>A free TCP port on 127.0.0.1 (bind to port 0, read it back, release it).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The text of a tool result's content blocks, joined.</summary>
    public static string Text(this CallToolResult result) =>
        string.Join("\n", result.Content.OfType<TextContentBlock>().Select(b => b.Text));
}

/// <summary>A running <c>memfun serve --http</c> process.</summary>
public sealed class HttpServerProcess(Process process, Uri endpoint) : IAsyncDisposable
{
    private readonly System.Text.StringBuilder _stderr = new();

    public Process Process { get; } = process;

    public Uri Endpoint { get; } = endpoint;

    public string StandardError
    {
        get { lock (_stderr) { return _stderr.ToString(); } }
    }

    internal async Task WaitUntilListeningAsync(CancellationToken cancellationToken)
    {
        Process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (_stderr) { _stderr.AppendLine(e.Data); } } };
        Process.OutputDataReceived += (_, _) => { };
        Process.BeginErrorReadLine();
        Process.BeginOutputReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"memfun serve --http exited with {Process.ExitCode}: {StandardError}");
            }

            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(Endpoint.Host, Endpoint.Port, timeout.Token);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, timeout.Token);
            }
        }
    }

    /// <summary>Connects the C# SDK's client over Streamable HTTP.</summary>
    public async Task<McpClient> ConnectAsync(IDictionary<string, string>? headers = null, McpClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = Endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = headers,
        });
        return await McpClient.CreateAsync(new SchemaCheckingTransport(transport), MemfunServerProcess.Patient(options), cancellationToken: cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }

        Process.Dispose();
    }
}
