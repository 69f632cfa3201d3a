using System.ComponentModel;
using Memfun.Tools.CodeMap;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Mcp;

/// <summary>Serves the workspace code map as the MCP resource <c>memfun://workspace/code-map</c> (Markdown).</summary>
[McpServerResourceType]
[Toolset(Hosting.Toolsets.Search)]
internal sealed class CodeMapResource(CodeMapService codeMap)
{
    public const string Uri = "memfun://workspace/code-map";

    /// <summary>The budget of the resource: larger than the tool's default, since a host reads it once.</summary>
    public const int MaxBytes = 64_000;

    [McpServerResource(UriTemplate = Uri, Name = "code-map", Title = "Workspace code map", MimeType = "text/markdown")]
    [Description("The structural index of the workspace: per source file, its types, functions and methods with signatures and " +
        "line numbers (at most 64 KB, most relevant first).")]
    public async Task<TextResourceContents> Read(CancellationToken cancellationToken)
    {
        var map = await codeMap.MapAsync(null, null, cancellationToken);
        return new TextResourceContents { Uri = Uri, MimeType = "text/markdown", Text = CodeMapService.Render(map, MaxBytes) };
    }
}
