using System.ComponentModel;
using Memfun.Engine.Memory;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Mcp;

/// <summary>Serves the workspace's <c>MEMORY.md</c> as a resource.</summary>
[McpServerResourceType]
[Toolset(Hosting.Toolsets.Memory)]
internal sealed class MemoryResources(MemoryService memory)
{
    public const string MemoryUri = "memfun://workspace/MEMORY.md";

    [McpServerResource(UriTemplate = MemoryUri, Name = "MEMORY.md", Title = "Workspace memory", MimeType = "text/markdown")]
    [Description("What memfun remembers for this workspace (conventions, commands, gotchas, preferences), as people read and " +
        "edit it. Read it before starting work.")]
    public TextResourceContents MemoryFile()
    {
        var text = memory.ReadMemoryFile()
            ?? "# Memory\n\nNothing is remembered for this workspace yet. The remember tool adds facts here; you can also write bullets under a `## Project` section.\n";
        return new TextResourceContents { Uri = MemoryUri, MimeType = "text/markdown", Text = text };
    }
}
