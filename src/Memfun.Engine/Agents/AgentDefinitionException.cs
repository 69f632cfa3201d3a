using Memfun.Tools;

namespace Memfun.Engine.Agents;

/// <summary>An <c>AGENT.md</c> file is invalid: the message names the file and the field.</summary>
public sealed class AgentDefinitionException : MemfunToolException
{
    /// <summary>Creates the exception for <paramref name="file"/> and <paramref name="field"/>.</summary>
    public AgentDefinitionException(string file, string field, string problem)
        : base($"{file}: field '{field}': {problem}")
    {
        File = file;
        Field = field;
    }

    /// <summary>Creates the exception with a message.</summary>
    public AgentDefinitionException(string message) : base(message)
    {
        File = string.Empty;
        Field = string.Empty;
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public AgentDefinitionException(string message, Exception innerException) : base(message, innerException)
    {
        File = string.Empty;
        Field = string.Empty;
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public AgentDefinitionException() : this("The agent definition is invalid.") { }

    /// <summary>The AGENT.md file.</summary>
    public string File { get; }

    /// <summary>The front-matter field at fault (or <c>front matter</c>/<c>body</c>).</summary>
    public string Field { get; }
}
