using System.ComponentModel;
using Memfun.Tools.CodeMap;
using Memfun.Tools.Search;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Mcp;

/// <summary>The <c>code_map</c> tool: a thin binding over <see cref="CodeMapService"/>.</summary>
[McpServerToolType]
[Toolset(Hosting.Toolsets.Search)]
internal sealed class CodeMapTools(CodeMapService codeMap)
{
    /// <summary>The largest output budget a caller may ask for.</summary>
    public const int MaxBytesLimit = 1_000_000;

    [McpServerTool(Name = "code_map", Title = "Code map", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(CodeMapSummary))]
    [Description("The structural index of the workspace or a folder: per source file, its types, functions and methods with " +
        "signatures and line numbers, as Markdown. Call it first to find your way around, then read_file the lines you " +
        "need. C#, Python, JS/TS, Go, Rust, Java; honours .gitignore; cached. Fits max_bytes, most relevant files " +
        "first; the last line says what was left out.")]
    public async Task<CallToolResult> Map(
        [Description("Optional folder or file, relative to the workspace root.")]
        string? path = null,
        [Description("Output budget in bytes, 1000-1000000. Default 20000.")]
        int? max_bytes = null,
        IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var budget = max_bytes ?? codeMap.DefaultMaxBytes;
        if (budget is < 1000 or > MaxBytesLimit)
        {
            throw new SearchException($"max_bytes must be between 1000 and {MaxBytesLimit}; it was {budget}.");
        }

        var reporter = progress is null
            ? null
            : new ForwardingProgress<(int Done, int Total)>(p => progress.Report(new ProgressNotificationValue { Progress = p.Done, Total = p.Total, Message = "Parsing source files" }));
        var map = await codeMap.MapAsync(path, reporter, cancellationToken);
        var text = CodeMapService.Render(map, budget);
        var summary = new CodeMapSummary(map.Root, map.Files.Count, map.SymbolCount, map.FilesScanned, map.FilesParsed, map.FilesSkipped,
            [.. map.Files.Select(f => new CodeMapFileSummary(f.Path, f.Language, f.Lines, f.SymbolCount))], text);
        return ToolResults.Structured(text, summary);
    }
}

/// <summary>The structured content of <c>code_map</c>: counts, the files mapped and the map itself (the same Markdown as the text).</summary>
/// <param name="Root">The folder mapped ("" for the workspace root).</param>
/// <param name="Files">Files with declarations.</param>
/// <param name="Declarations">Declarations in all files.</param>
/// <param name="FilesScanned">Source files considered.</param>
/// <param name="FilesParsed">Files parsed by this call (the rest came from the cache).</param>
/// <param name="FilesSkipped">Source files skipped as too large or minified.</param>
/// <param name="FileList">Per file: path, language, lines, declarations.</param>
/// <param name="Map">The map as Markdown, within the byte budget: the declarations with their signatures and lines (hosts that show
/// their model only the structured result need it here).</param>
internal sealed record CodeMapSummary(string Root, int Files, int Declarations, int FilesScanned, int FilesParsed, int FilesSkipped, IReadOnlyList<CodeMapFileSummary> FileList, string Map);

/// <summary>One mapped file in <see cref="CodeMapSummary"/>.</summary>
internal sealed record CodeMapFileSummary(string Path, string Language, int Lines, int Declarations);
