using System.Text.Json.Serialization;

namespace Memfun.Tools.Files;

/// <summary>One page of a text file as <c>read_file</c> shows it.</summary>
/// <param name="Path">The path relative to the workspace root.</param>
/// <param name="Text">The numbered lines with a header and footer, or the short "unchanged" note.</param>
/// <param name="StartLine">The first line shown (1-based); 0 for an empty file.</param>
/// <param name="EndLine">The last line shown; 0 for an empty file.</param>
/// <param name="TotalLines">Lines in the file; null when the file is too large to count on every read.</param>
/// <param name="SizeBytes">The file's size.</param>
/// <param name="Encoding">How the bytes were decoded ("UTF-8", "Windows-1252 …").</param>
/// <param name="Hash">The first 12 hex digits of the content hash (SHA-256).</param>
/// <param name="Unchanged">True when the same range with the same hash was already shown in this session.</param>
/// <param name="NextOffset">The offset of the next page, or null when this page reaches the end.</param>
public sealed record ReadFileResult(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("start_line")] int StartLine,
    [property: JsonPropertyName("end_line")] int EndLine,
    [property: JsonPropertyName("total_lines")] long? TotalLines,
    [property: JsonPropertyName("size_bytes")] long SizeBytes,
    [property: JsonPropertyName("encoding")] string Encoding,
    [property: JsonPropertyName("hash")] string Hash,
    [property: JsonPropertyName("unchanged")] bool Unchanged,
    [property: JsonPropertyName("next_offset")] long? NextOffset);
