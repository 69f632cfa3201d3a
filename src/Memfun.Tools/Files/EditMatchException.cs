namespace Memfun.Tools.Files;

/// <summary><c>edit_file</c> could not place the edit: no match (with the closest region), or more than one match.</summary>
public sealed class EditMatchException : MemfunToolException
{
    /// <summary>Creates the exception with a message saying what matched and how to retry.</summary>
    public EditMatchException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public EditMatchException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a generic message.</summary>
    public EditMatchException() : base("The text to replace was not found.") { }
}
