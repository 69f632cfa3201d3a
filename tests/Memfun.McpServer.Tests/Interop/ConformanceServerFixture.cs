using System.Collections.Concurrent;
using Memfun.McpServer.Tests.Infrastructure;

namespace Memfun.McpServer.Tests.Interop;

/// <summary>
/// One <c>memfun serve --http --conformance-fixtures</c> on a free loopback port, shared by every
/// conformance scenario, over a workspace with a little real content (a source file, <c>MEMORY.md</c>).
/// </summary>
/// <remarks>
/// Scenario runs are mostly waiting on the network, so they run a few at a time: the first test that
/// asks for a scenario starts every scenario of the class, and each test awaits its own.
/// </remarks>
public sealed class ConformanceServerFixture : IAsyncLifetime
{
    private readonly TempWorkspace _workspace = new("memfun-conformance");
    private readonly TempWorkspace _output = new("memfun-conformance-out");
    private readonly ConcurrentDictionary<string, Task<NodeRun>> _runs = new();
    private readonly SemaphoreSlim _concurrency = new(4);

    public HttpServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _workspace.Write("MEMORY.md", "# Memory\n\n- The conformance suite runs against this workspace.\n");
        _workspace.Write("src/app.py", "def main():\n    print('hello')\n");
        Server = await MemfunServerProcess.StartHttpAsync(_workspace.Path, ["--conformance-fixtures"]);
    }

    /// <summary>Starts every (cli, scenario) pair not started yet.</summary>
    public void StartAll(IEnumerable<(string Cli, string Scenario)> all)
    {
        foreach (var (cli, scenario) in all)
        {
            Run(cli, scenario);
        }
    }

    /// <summary>The run of one scenario (started on first request); its checks.json is under <see cref="OutputOf"/>.</summary>
    public Task<NodeRun> Run(string cli, string scenario) =>
        _runs.GetOrAdd(Key(cli, scenario), _ => Task.Run(async () =>
        {
            await _concurrency.WaitAsync();
            try
            {
                return await RunOnceAsync(cli, scenario);
            }
            finally
            {
                _concurrency.Release();
            }
        }));

    /// <summary>Runs one scenario again, alone, into a fresh output folder (after a failure seen while every scenario
    /// ran at once on a loaded machine).</summary>
    public async Task<NodeRun> RerunAsync(string cli, string scenario)
    {
        var output = OutputOf(cli, scenario);
        if (Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
        }

        return await RunOnceAsync(cli, scenario);
    }

    public string OutputOf(string cli, string scenario) => Path.Combine(_output.Path, Key(cli, scenario));

    private Task<NodeRun> RunOnceAsync(string cli, string scenario) => NodeTools.RunAsync(
        cli,
        ["server", "--url", Server.Endpoint.ToString(), "--scenario", scenario, "-o", OutputOf(cli, scenario)],
        TimeSpan.FromSeconds(120));

    private static string Key(string cli, string scenario) =>
        $"{Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(cli)))}-{scenario}";

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_runs.Values.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        await Server.DisposeAsync();
        _workspace.Dispose();
        _output.Dispose();
        _concurrency.Dispose();
    }
}
