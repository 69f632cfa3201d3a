using System.Collections.Concurrent;
using Memfun.McpServer.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

#pragma warning disable MCP9005 // Roots are deprecated by 2026-07-28 but are what 2025-11-25 hosts send.

namespace Memfun.McpServer.Tests.Hosting;

/// <summary>The host's MCP roots reach the path guard: after initialization and on roots/list_changed.</summary>
public sealed class WorkspaceRootsSyncTests : IDisposable
{
    private readonly TempWorkspace _ws = new();
    private readonly TempWorkspace _extra = new("memfun-root");
    private readonly TempWorkspace _later = new("memfun-root-later");

    public void Dispose()
    {
        _ws.Dispose();
        _extra.Dispose();
        _later.Dispose();
    }

    [Fact]
    public async Task Roots_declared_by_the_client_are_added_after_initialization_and_again_when_they_change()
    {
        var stderr = new ConcurrentQueue<string>();
        var roots = new List<Root> { new() { Uri = new Uri(_extra.Path).AbsoluteUri, Name = "extra" } };
        var options = new McpClientOptions
        {
            // Roots belong to the initialize-handshake era; the 2026-07-28 client would not be asked.
            ProtocolVersion = "2025-11-25",
            Capabilities = new ClientCapabilities { Roots = new RootsCapability { ListChanged = true } },
            Handlers = new McpClientHandlers
            {
                RootsHandler = (_, _) => ValueTask.FromResult(new ListRootsResult { Roots = [.. roots] }),
            },
        };

        await using var client = await MemfunServerProcess.StartStdioCapturingStderrAsync(_ws.Path, stderr.Enqueue, options, ["--log-level", "Information"]);
        await WaitForAsync(() => stderr.Any(l => l.Contains(RealPath(_extra.Path), StringComparison.Ordinal)), stderr);

        roots.Add(new Root { Uri = new Uri(_later.Path).AbsoluteUri, Name = "later" });
        await client.SendNotificationAsync(NotificationMethods.RootsListChangedNotification, new RootsListChangedNotificationParams());
        await WaitForAsync(() => stderr.Any(l => l.Contains(RealPath(_later.Path), StringComparison.Ordinal)), stderr);
    }

    [Fact]
    public async Task A_file_under_a_client_root_can_be_read_by_absolute_path()
    {
        var file = _extra.Write("notes.txt", "from the host's root\n");
        var stderr = new ConcurrentQueue<string>();
        var options = new McpClientOptions
        {
            // Roots belong to the initialize-handshake era; the 2026-07-28 client would not be asked.
            ProtocolVersion = "2025-11-25",
            Capabilities = new ClientCapabilities { Roots = new RootsCapability() },
            Handlers = new McpClientHandlers
            {
                RootsHandler = (_, _) => ValueTask.FromResult(new ListRootsResult { Roots = [new Root { Uri = new Uri(_extra.Path).AbsoluteUri }] }),
            },
        };

        await using var client = await MemfunServerProcess.StartStdioCapturingStderrAsync(_ws.Path, stderr.Enqueue, options, ["--log-level", "Information"]);
        await WaitForAsync(() => stderr.Any(l => l.Contains("Client roots synchronized", StringComparison.Ordinal)), stderr);

        var result = await client.CallToolAsync("read_file", new Dictionary<string, object?> { ["path"] = file });

        Assert.True(result.IsError != true, result.Text());
        Assert.Contains("from the host's root", result.Text(), StringComparison.Ordinal);
    }

    private static string RealPath(string path) => new DirectoryInfo(path).ResolveLinkTarget(true)?.FullName ?? path;

    private static async Task WaitForAsync(Func<bool> condition, ConcurrentQueue<string> stderr)
    {
        for (var i = 0; i < 300 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), "The server never reported the roots. stderr:\n" + string.Join("\n", stderr));
    }
}
