namespace Memfun.Engine.Solving;

/// <summary>One operation the model asked for: write a whole file, edit part of one, or run a command.</summary>
/// <param name="Op"><c>write</c>, <c>edit</c> or <c>run</c>.</param>
/// <param name="Path">The relative path (write, edit).</param>
/// <param name="Content">The whole new file (write).</param>
/// <param name="Old">The text to replace (edit); must occur once.</param>
/// <param name="New">The replacement (edit).</param>
/// <param name="Command">The shell command (run).</param>
public sealed record FileOperation(string Op, string? Path = null, string? Content = null, string? Old = null, string? New = null, string? Command = null)
{
    /// <summary>A write operation.</summary>
    public static FileOperation Write(string path, string content) => new("write", path, Content: content);

    /// <summary>An edit operation.</summary>
    public static FileOperation Edit(string path, string oldText, string newText) => new("edit", path, Old: oldText, New: newText);

    /// <summary>A run operation.</summary>
    public static FileOperation Run(string command) => new("run", Command: command);
}
