using Memfun.Tools;

namespace Memfun.Engine.Skills;

/// <summary>No valid skill has the requested name; the message lists the names there are.</summary>
public sealed class SkillNotFoundException : MemfunToolException
{
    /// <summary>Creates the exception with a message naming the skill and the available ones.</summary>
    public SkillNotFoundException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public SkillNotFoundException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a generic message.</summary>
    public SkillNotFoundException() : base("The skill was not found. Run 'memfun skill list' to see the available skills.") { }
}
