using System.ComponentModel;
using System.Text;
using Memfun.Tools.Files;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Server = ModelContextProtocol.Server.McpServer;

namespace Memfun.McpServer.Mcp;

/// <summary>The file tools: read_file, write_file, edit_file.</summary>
[McpServerToolType]
[Toolset(Hosting.Toolsets.Files)]
internal sealed class FileTools(FileReader reader, FileWriter writer, FileEditor editor)
{
    [McpServerTool(Name = "read_file", Title = "Read a file", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false)]
    [Description("Reads a workspace text file as numbered lines (like `cat -n`), a page at a time: 2000 lines by default; long " +
        "lines and pages over about 100,000 characters are cut with a marker. Header: range, total lines, encoding, " +
        "hash; footer: the next page's offset. Binary files are refused; text that is not UTF-8 is read as " +
        "Windows-1252. An unchanged range re-read in this session gives a short 'unchanged' note unless force=true.")]
    public CallToolResult ReadFile(
        Server server,
        [Description("Relative to the workspace root, e.g. 'src/app.py'.")] string path,
        [Description("1-based first line (default 1); the previous page's footer gives the next.")] long? offset = null,
        [Description("Lines to return: default 2000, at most 10000.")] int? limit = null,
        [Description("Return the text even if this session already read this unchanged range.")] bool? force = null,
        CancellationToken cancellationToken = default)
    {
        var result = reader.Read(path, offset, limit, force ?? false, SessionKey.For(server), cancellationToken);
        return new CallToolResult { Content = [new TextContentBlock { Text = result.Text }] };
    }

    [McpServerTool(Name = "write_file", Title = "Write a file", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteFileResult))]
    [Description("Creates a file or replaces its whole content (UTF-8; atomic; keeps permissions and BOM), creating parent " +
        "folders. Refuses to remove more than 30% of an existing file (by lines or bytes), usually a sign of truncated " +
        "content: use edit_file for part of a file, or allow_shrink=true when intended.")]
    public CallToolResult WriteFile(
        [Description("Relative to the workspace root.")] string path,
        [Description("The complete new content.")] string content,
        [Description("Allow the content to be over 30% smaller than the file's. Default false.")] bool? allow_shrink = null)
    {
        var r = writer.Write(path, content, allow_shrink ?? false);
        var text = r.Created
            ? $"Created '{r.Path}' ({r.Lines} lines, {r.Bytes} bytes)."
            : $"Wrote '{r.Path}' ({r.Lines} lines, {r.Bytes} bytes; before: {r.PreviousLines} lines, {r.PreviousBytes} bytes).";
        return ToolResults.Structured(text, r);
    }

    [McpServerTool(Name = "edit_file", Title = "Edit a file", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(EditFileResult))]
    [Description("Replaces old_text with new_text in a file and returns a unified diff. Matching: exact, then ignoring " +
        "whitespace and indentation (new_text is re-indented), then fuzzy (at least 85% similar); the result names " +
        "which. Several matches are refused with their lines (add context, or replace_all=true); no match shows the " +
        "closest region and its similarity. Keeps line endings, encoding and BOM. dry_run=true previews.")]
    public CallToolResult EditFile(
        [Description("Relative to the workspace root.")] string path,
        [Description("Text copied from the file, with enough context to be unique. Not empty.")] string old_text,
        [Description("The replacement; empty deletes old_text.")] string new_text,
        [Description("Replace every match. Default false.")] bool? replace_all = null,
        [Description("Show the diff without writing. Default false.")] bool? dry_run = null)
    {
        var r = editor.Edit(path, old_text, new_text, replace_all ?? false, dry_run ?? false);
        var sb = new StringBuilder();
        sb.Append(r.DryRun ? "Dry run: would edit '" : "Edited '").Append(r.Path).Append("' (")
          .Append(r.Replacements).Append(r.Replacements == 1 ? " replacement" : " replacements")
          .Append(", ").Append(r.Strategy).Append(" match");
        if (r.Strategy == "fuzzy")
        {
            sb.Append(", ").Append(r.Similarity.ToString("P0", System.Globalization.CultureInfo.InvariantCulture)).Append(" similar");
        }

        sb.Append(", at line").Append(r.Lines.Count == 1 ? " " : "s ").Append(string.Join(", ", r.Lines)).Append(").\n");
        if (r.Normalized.Count > 0)
        {
            sb.Append("old_text differed from the file in: ").Append(string.Join("; ", r.Normalized)).Append(". Only the lines your edit changes were written; the file's other lines are as they were.\n");
        }

        sb.Append(r.Diff);
        return ToolResults.Structured(sb.ToString(), r);
    }
}
