namespace Memfun.Tools.Files;

/// <summary>Where and how <see cref="FuzzyEditor"/> will change a text: the strategy that matched and the replacements, in order.</summary>
/// <param name="Strategy">"exact", "whitespace" or "fuzzy".</param>
/// <param name="Replacements">Non-overlapping replacements sorted by position, in the LF-normalised text.</param>
/// <param name="Similarity">The similarity of the worst fuzzy match (1 for exact and whitespace).</param>
internal sealed record EditPlan(string Strategy, IReadOnlyList<TextReplacement> Replacements, double Similarity);
