using System.ComponentModel;
using Memfun.Tools.Search;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Mcp;

/// <summary>The <c>list_files</c> and <c>search</c> tools: thin bindings over <see cref="WorkspaceFileLister"/> and <see cref="WorkspaceSearcher"/>.</summary>
[McpServerToolType]
internal sealed class SearchTools(WorkspaceFileLister lister, WorkspaceSearcher searcher)
{
    [McpServerTool(Name = "list_files", Title = "List files", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(FileListing))]
    [Description("Lists files in the workspace, honouring .gitignore/.ignore files (never .git/ or .memfun/). " +
        "Use it to discover the layout or find files by name before reading them. Returns paths relative to the workspace root " +
        "with '/' separators, sorted; at most 1000 entries, then a count of the rest (narrow with pattern or path).")]
    public CallToolResult ListFiles(
        [Description("Optional glob. Without '/', it matches file names at any depth ('*.cs', 'README*'); with '/', the path relative to `path` " +
            "('src/*.py', '**/tests/**/*.ts'). Supports *, ?, **, [a-z], {a,b}; a leading '!' inverts. Omit to list everything.")]
        string? pattern = null,
        [Description("Optional folder to list, relative to the workspace root (default: the root).")]
        string? path = null,
        [Description("Also return each file's last modification time (UTC, ISO 8601). Default false.")]
        bool? timestamps = null,
        CancellationToken cancellationToken = default)
    {
        var listing = lister.List(pattern, path, timestamps ?? false, cancellationToken: cancellationToken);
        return ToolResults.Structured(listing.ToText(), listing);
    }

    [McpServerTool(Name = "search", Title = "Search file contents", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(SearchResult))]
    [Description("Searches the contents of workspace files for a regular expression (.NET syntax) or literal text, like ripgrep: " +
        "honours .gitignore, skips binary and very large files. Returns matching lines as 'path:line: text' (context lines as " +
        "'path-line- text', groups separated by '--'), sorted by path and line, then a summary with the total count. " +
        "Use it to find definitions, usages and strings; use code_map for an overview of declarations.")]
    public CallToolResult Search(
        [Description("The regular expression to find (e.g. 'class\\s+\\w+Service', 'TODO|FIXME'), or the exact text when literal is true. " +
            "A match never spans lines unless the pattern matches a line break itself.")]
        string pattern,
        [Description("Optional folder or file to search, relative to the workspace root (default: the root).")]
        string? path = null,
        [Description("Optional glob restricting which files are searched: '*.cs', 'src/**/*.{ts,tsx}', '!*.min.js' (see list_files).")]
        string? glob = null,
        [Description("Treat pattern as plain text, not a regular expression. Default false.")]
        bool? literal = null,
        [Description("Match letter case exactly. Default true; pass false for a case-insensitive search.")]
        bool? case_sensitive = null,
        [Description("Lines of context to show before and after each match, 0-20. Default 0.")]
        int? context = null,
        [Description("The most matching lines to return, 1-2000. Default 100; the summary still counts every match.")]
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
