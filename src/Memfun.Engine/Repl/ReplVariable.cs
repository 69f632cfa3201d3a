namespace Memfun.Engine.Repl;

/// <summary>A compact summary of one REPL variable: never its whole value.</summary>
/// <remarks>Size is a length or count where the value has one (characters, items), else -1.</remarks>
public sealed class ReplVariable
{
    /// <summary>The variable's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Its C# type, as the script would write it.</summary>
    public string Type { get; set; } = "";

    /// <summary>Characters of a string, items of a collection; -1 when neither applies.</summary>
    public long Size { get; set; } = -1;

    /// <summary>The start of its value, at most about 100 characters.</summary>
    public string Preview { get; set; } = "";
}
