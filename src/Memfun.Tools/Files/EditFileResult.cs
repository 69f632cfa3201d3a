using System.Text.Json.Serialization;

namespace Memfun.Tools.Files;

/// <summary>What <c>edit_file</c> did (or, with <c>dry_run</c>, would do).</summary>
/// <param name="Path">The path relative to the workspace root.</param>
/// <param name="Strategy">"exact", "whitespace" (indentation/whitespace-insensitive) or "fuzzy".</param>
/// <param name="Replacements">How many places were changed.</param>
/// <param name="Diff">A unified diff of the change (capped).</param>
/// <param name="DryRun">True when nothing was written.</param>
/// <param name="Similarity">For a fuzzy match, the similarity of the matched region (0–1); 1 otherwise.</param>
/// <param name="Lines">The 1-based lines where the replaced regions started.</param>
/// <param name="Normalized">How old_text differed from the file where it was tolerated (indentation, tabs, trailing
/// whitespace, a slipped letter in a line the edit leaves alone); the file's own text was kept there. Empty for an exact match.</param>
public sealed record EditFileResult(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("strategy")] string Strategy,
    [property: JsonPropertyName("replacements")] int Replacements,
    [property: JsonPropertyName("diff")] string Diff,
    [property: JsonPropertyName("dry_run")] bool DryRun,
    [property: JsonPropertyName("similarity")] double Similarity,
    [property: JsonPropertyName("lines")] IReadOnlyList<int> Lines,
    [property: JsonPropertyName("normalized")] IReadOnlyList<string> Normalized);
