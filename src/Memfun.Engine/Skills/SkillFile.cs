namespace Memfun.Engine.Skills;

/// <summary>One file of a skill directory (the <c>SKILL.md</c> itself or a supporting file).</summary>
/// <param name="RelativePath">The path inside the skill directory, '/'-separated (for example <c>references/checklist.md</c>).</param>
/// <param name="FullPath">The full path on disk.</param>
/// <param name="Size">The length in bytes when the skill was loaded.</param>
/// <param name="Sha256">The SHA-256 of the raw bytes, 64 lowercase hex characters, when the skill was loaded.</param>
public sealed record SkillFile(string RelativePath, string FullPath, long Size, string Sha256);
