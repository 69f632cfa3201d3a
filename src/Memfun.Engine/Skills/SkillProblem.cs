namespace Memfun.Engine.Skills;

/// <summary>Why one skill could not be loaded, or what is off in one that was: the file, the front matter field (when one is to blame) and what to do.</summary>
/// <param name="FilePath">The full path of the <c>SKILL.md</c> (or folder) at fault.</param>
/// <param name="Field">The front matter field at fault, or null when the problem is not one field's.</param>
/// <param name="Message">What is wrong and how to fix it.</param>
/// <param name="IsWarning">True when the skill was loaded anyway (hosts load it too); false when it was skipped.</param>
public sealed record SkillProblem(string FilePath, string? Field, string Message, bool IsWarning = false)
{
    /// <summary>One line for people: <c>path: field 'x': message</c>.</summary>
    public override string ToString() =>
        Field is null ? $"{FilePath}: {Message}" : $"{FilePath}: field '{Field}': {Message}";
}
