namespace Memfun.Engine.Skills;

/// <summary>The skills found at one moment: the valid ones by name, and why the others were refused.</summary>
/// <param name="Skills">The valid skills, ordered by name; for each name the one from the latest source.</param>
/// <param name="Problems">One entry per problem of every invalid skill (an invalid skill never hides a valid one of the same name).</param>
/// <param name="Overridden">Valid skills hidden by a later source's skill of the same name.</param>
public sealed record SkillCatalogSnapshot(
    IReadOnlyList<SkillDefinition> Skills,
    IReadOnlyList<SkillProblem> Problems,
    IReadOnlyList<SkillDefinition> Overridden)
{
    /// <summary>An empty snapshot.</summary>
    public static SkillCatalogSnapshot Empty { get; } = new([], [], []);

    /// <summary>The skill named <paramref name="name"/>, or null.</summary>
    public SkillDefinition? Find(string name) =>
        Skills.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));
}
