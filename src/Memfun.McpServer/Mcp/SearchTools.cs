using System.ComponentModel;
using Memfun.Tools.Search;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Mcp;

/// <summary>The <c>list_files</c> and <c>search</c> tools: thin bindings over <see cref="WorkspaceFileLister"/> and <see cref="WorkspaceSearcher"/>.</summary>
[McpServerToolType]
[Toolset(Hosting.Toolsets.Search)]
internal sealed class SearchTools(WorkspaceFileLister lister, WorkspaceSearcher searcher)
{
    [McpServerTool(Name = "list_files", Title = "List files", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(FileListing))]
    [Description("Lists workspace files, honouring .gitignore (never .git/ or .memfun/): sorted paths relative to the root; at " +
        "most 1000, then a count of the rest.")]
    public CallToolResult ListFiles(
        [Description("Optional glob: without '/' it matches names at any depth ('*.cs'), with '/' paths ('src/**/*.ts'); a leading '!' inverts.")]
        string? pattern = null,
        [Description("Optional folder, relative to the workspace root.")]
        string? path = null,
        [Description("Also return each file's modification time (UTC). Default false.")]
        bool? timestamps = null,
        CancellationToken cancellationToken = default)
    {
        var listing = lister.List(pattern, path, timestamps ?? false, cancellationToken: cancellationToken);
        return ToolResults.Structured(listing.ToText(), listing);
    }

    [McpServerTool(Name = "search", Title = "Search file contents", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(SearchResult))]
    [Description("Searches file contents for a regular expression or literal text, like ripgrep: honours " +
        ".gitignore, skips binary and huge files. Returns sorted 'path:line: text' lines (context as 'path-line- " +
        "text', groups split by '--') and the total count. For declarations use code_map.")]
    public CallToolResult Search(
        [Description("A .NET regex (e.g. 'TODO|FIXME'), or exact text with literal=true; matches stay within a line.")]
        string pattern,
        [Description("Optional folder or file, relative to the workspace root.")]
        string? path = null,
        [Description("Optional file glob: '*.cs', 'src/**/*.{ts,tsx}', '!*.min.js'.")]
        string? glob = null,
        [Description("Pattern is plain text, not a regex. Default false.")]
        bool? literal = null,
        [Description("Default true; false ignores case.")]
        bool? case_sensitive = null,
        [Description("Context lines around each match, 0-20. Default 0.")]
        int? context = null,
        [Description("Matching lines returned, 1-2000. Default 100; all are counted.")]
        int? max_results = null,
        CancellationToken cancellationToken = default)
    {
        var result = searcher.Search(
            new SearchQuery
            {
                Pattern = pattern,
                Path = path,
                Glob = glob,
                Literal = literal ?? false,
                CaseSensitive = case_sensitive ?? true,
                Context = context ?? 0,
                MaxResults = max_results ?? 100,
            },
            cancellationToken);
        return ToolResults.Structured(result.ToText(), result);
    }
}
