namespace Memfun.Tools.Workspace;

/// <summary>A file was refused by <see cref="SafeFile"/>: its message names the file and says why.</summary>
public sealed class SafeFileException : MemfunToolException
{
    /// <summary>Creates the exception.</summary>
    public SafeFileException(SafeFileError error, string message)
        : base(message) => Error = error;

    /// <summary>Creates the exception with a generic message.</summary>
    public SafeFileException()
        : base("The file could not be opened safely.") => Error = SafeFileError.Io;

    /// <summary>Creates the exception with a message and its cause.</summary>
    public SafeFileException(string message, Exception innerException)
        : base(message, innerException) => Error = SafeFileError.Io;

    /// <summary>Creates the exception with a message.</summary>
    public SafeFileException(string message)
        : base(message) => Error = SafeFileError.Io;

    /// <summary>What went wrong.</summary>
    public SafeFileError Error { get; }
}
