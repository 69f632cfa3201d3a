using System.Text.Json.Nodes;
using Memfun.McpServer.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Tests.Mcp.Skills;

/// <summary>
/// One <c>memfun serve --stdio</c> shared by the read-only skill tests, on a workspace with a workspace
/// skill (BOM and CRLF supporting file), a <c>.memfun/skills</c> override of a built-in and an invalid skill.
/// </summary>
public sealed class SkillsServerFixture : IAsyncLifetime
{
    public TempWorkspace Workspace { get; } = new("memfun-skills");

    public McpClient Client { get; private set; } = null!;

    public const string NotesText = "\uFEFFFirst line\r\nsecond line\n";

    public async Task InitializeAsync()
    {
        Workspace.Write("skills/my-skill/SKILL.md", "---\nname: my-skill\ndescription: \"Greets: someone\"\nversion: 2\nargument-hint: <who>\nmetadata:\n  author: tests\n---\nSay hello to $ARGUMENTS.\n");
        Workspace.Write("skills/my-skill/docs/notes.md", NotesText);
        Workspace.Write(".memfun/skills/ask/SKILL.md", "---\nname: ask\ndescription: The workspace's own ask.\n---\nAnswer $ARGUMENTS briefly.\n");
        Workspace.Write("skills/broken/SKILL.md", "---\nname: broken\n---\nno description\n");
        Client = await MemfunServerProcess.StartStdioAsync(Workspace.Path);
    }

    /// <summary>Sends a raw JSON-RPC request (for the extension methods the SDK client has no API for).</summary>
    public async Task<JsonObject> RequestAsync(string method, JsonObject? parameters = null)
    {
        var response = await Client.SendRequestAsync(new JsonRpcRequest { Method = method, Params = parameters ?? new JsonObject() }, CancellationToken.None);
        return Assert.IsType<JsonObject>(response.Result);
    }

    public async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        Workspace.Dispose();
    }
}
