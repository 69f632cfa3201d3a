namespace Memfun.Tools.Workspace;

/// <summary>Why <see cref="SafeFile"/> refused or failed to open a file.</summary>
public enum SafeFileError
{
    /// <summary>The file (or a folder on its path) does not exist.</summary>
    NotFound,

    /// <summary>The path names a folder.</summary>
    Directory,

    /// <summary>The path names a FIFO, socket or device: never opened for reading or writing.</summary>
    NotRegular,

    /// <summary>The path leaves the root, or a symbolic link on it appeared while it was opened.</summary>
    Outside,

    /// <summary>The file is larger than the caller's byte cap.</summary>
    TooLarge,

    /// <summary>Permission denied.</summary>
    Denied,

    /// <summary>Any other input/output error.</summary>
    Io,
}
