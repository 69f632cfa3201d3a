namespace Memfun.Tools.Files;

/// <summary>Where and how <see cref="FuzzyEditor"/> will change a text: the strategy that matched and the replacements, in order.</summary>
/// <param name="Strategy">"exact", "whitespace" or "fuzzy".</param>
/// <param name="Replacements">Non-overlapping replacements sorted by position, in the LF-normalised text (a matched region
/// yields one for each run of lines the edit really changes).</param>
/// <param name="Similarity">The similarity of the worst fuzzy match (1 for exact and whitespace).</param>
/// <param name="Regions">The 1-based first line of each matched region.</param>
/// <param name="Normalized">What differed between old_text and the file and was tolerated (the file's text was kept there).</param>
internal sealed record EditPlan(string Strategy, IReadOnlyList<TextReplacement> Replacements, double Similarity, IReadOnlyList<int> Regions, IReadOnlyList<string> Normalized);
