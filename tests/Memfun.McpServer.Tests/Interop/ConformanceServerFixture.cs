using Memfun.McpServer.Tests.Infrastructure;

namespace Memfun.McpServer.Tests.Interop;

/// <summary>
/// One <c>memfun serve --http --conformance-fixtures</c> on a free loopback port, shared by every
/// conformance scenario, over a workspace with a little real content (a source file, <c>MEMORY.md</c>).
/// </summary>
public sealed class ConformanceServerFixture : IAsyncLifetime
{
    private readonly TempWorkspace _workspace = new("memfun-conformance");

    public HttpServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _workspace.Write("MEMORY.md", "# Memory\n\n- The conformance suite runs against this workspace.\n");
        _workspace.Write("src/app.py", "def main():\n    print('hello')\n");
        Server = await MemfunServerProcess.StartHttpAsync(_workspace.Path, ["--conformance-fixtures"]);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _workspace.Dispose();
    }
}
