using System.ComponentModel;
using System.Text;
using Memfun.Tools.Files;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Server = ModelContextProtocol.Server.McpServer;

namespace Memfun.McpServer.Mcp;

/// <summary>The file tools: read_file, write_file, edit_file.</summary>
[McpServerToolType]
internal sealed class FileTools(FileReader reader, FileWriter writer, FileEditor editor)
{
    [McpServerTool(Name = "read_file", Title = "Read a file", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false)]
    [Description(
        "Reads a text file of the workspace as numbered lines (like `cat -n`), one page at a time: by default lines 1-2000, " +
        "lines over 2000 characters cut with a marker, pages capped at about 100,000 characters. The header gives the range, " +
        "total lines, encoding and a content hash; the footer says which offset reads the next page. Works on files of any " +
        "size (only the page is loaded). Binary files are refused with their size and type; files that are not UTF-8 are " +
        "decoded as Windows-1252 and say so. Re-reading the same range of an unchanged file in this session returns a short " +
        "'unchanged since your last read' note instead of the text; pass force=true if you need the text again.")]
    public CallToolResult ReadFile(
        Server server,
        [Description("Path of the file, relative to the workspace root (e.g. 'src/app.py').")] string path,
        [Description("1-based line to start at. Default 1. Use the offset given in the previous page's footer to continue.")] long? offset = null,
        [Description("Maximum number of lines to return. Default 2000, at most 10000.")] int? limit = null,
        [Description("Return the content even if this session already read this range and it has not changed. Default false.")] bool? force = null,
        CancellationToken cancellationToken = default)
    {
        var result = reader.Read(path, offset, limit, force ?? false, SessionKey.For(server), cancellationToken);
        return new CallToolResult { Content = [new TextContentBlock { Text = result.Text }] };
    }

    [McpServerTool(Name = "write_file", Title = "Write a file", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteFileResult))]
    [Description(
        "Creates a file, or replaces the whole content of one, creating parent folders as needed. The write is atomic " +
        "(a temporary file is renamed over the target), keeps an existing file's permissions and UTF-8 BOM, and writes " +
        "content as given, in UTF-8. Refuses to overwrite an existing file when the new content would remove more than 30% " +
        "of it (by lines or bytes) — usually a sign of truncated content; use edit_file to change part of a file, or pass " +
        "allow_shrink=true when the shorter content is intended.")]
    public CallToolResult WriteFile(
        [Description("Path of the file, relative to the workspace root. Parent folders are created.")] string path,
        [Description("The complete new content of the file.")] string content,
        [Description("Allow the new content to be more than 30% smaller than the existing file. Default false.")] bool? allow_shrink = null)
    {
        var r = writer.Write(path, content, allow_shrink ?? false);
        var text = r.Created
            ? $"Created '{r.Path}' ({r.Lines} lines, {r.Bytes} bytes)."
            : $"Wrote '{r.Path}' ({r.Lines} lines, {r.Bytes} bytes; before: {r.PreviousLines} lines, {r.PreviousBytes} bytes).";
        return ToolResults.Structured(text, r);
    }

    [McpServerTool(Name = "edit_file", Title = "Edit a file", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(EditFileResult))]
    [Description(
        "Replaces old_text with new_text in a file and returns a unified diff. Matching tries, in order: exact text; then " +
        "ignoring whitespace and indentation (new_text is re-indented to the file's indentation); then a fuzzy match of " +
        "at least 85% similarity. The result names the strategy used. If old_text matches more than one place the edit is " +
        "refused with the candidate line numbers (add context, or pass replace_all=true); if nothing matches, the closest " +
        "region is returned with its line numbers and similarity so you can retry. Line endings (LF/CRLF), encoding and BOM " +
        "are preserved. Include enough surrounding lines in old_text to make it unique. dry_run=true shows the diff without writing.")]
    public CallToolResult EditFile(
        [Description("Path of the file, relative to the workspace root.")] string path,
        [Description("The text to replace, copied from the file (a few lines with context). Must not be empty.")] string old_text,
        [Description("The replacement text. Empty deletes old_text.")] string new_text,
        [Description("Replace every match instead of refusing when there are several. Default false.")] bool? replace_all = null,
        [Description("Only compute and show the diff; do not write. Default false.")] bool? dry_run = null)
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
