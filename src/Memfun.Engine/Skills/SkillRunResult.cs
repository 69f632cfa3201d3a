namespace Memfun.Engine.Skills;

/// <summary>What a model answered when it ran a skill.</summary>
/// <param name="Skill">The skill name.</param>
/// <param name="Answer">The model's answer.</param>
/// <param name="Prompt">The full prompt the model was given (instructions plus workspace context).</param>
public sealed record SkillRunResult(string Skill, string Answer, string Prompt);
