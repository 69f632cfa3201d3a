namespace Memfun.Engine.Skills;

/// <summary>
/// A named argument of a skill, derived from its <c>argument-hint</c>: <c>&lt;name&gt;</c> is required,
/// <c>[name]</c> optional. A skill whose hint has no such tokens takes one optional argument, <c>arguments</c>.
/// </summary>
/// <param name="Name">The argument name.</param>
/// <param name="Description">What to pass.</param>
/// <param name="Required">Whether the skill needs it.</param>
public sealed record SkillArgument(string Name, string? Description, bool Required);
