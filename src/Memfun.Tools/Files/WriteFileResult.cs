using System.Text.Json.Serialization;

namespace Memfun.Tools.Files;

/// <summary>What <c>write_file</c> did.</summary>
/// <param name="Path">The path relative to the workspace root.</param>
/// <param name="Created">True when the file did not exist before.</param>
/// <param name="Bytes">The new size in bytes.</param>
/// <param name="Lines">The new line count.</param>
/// <param name="PreviousBytes">The old size, or null for a new file.</param>
/// <param name="PreviousLines">The old line count, or null for a new file.</param>
public sealed record WriteFileResult(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("created")] bool Created,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("lines")] long Lines,
    [property: JsonPropertyName("previous_bytes")] long? PreviousBytes,
    [property: JsonPropertyName("previous_lines")] long? PreviousLines);
