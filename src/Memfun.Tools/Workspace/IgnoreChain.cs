namespace Memfun.Tools.Workspace;

/// <summary>
/// The ignore files in force for one folder, innermost first: an immutable linked list, so sibling
/// folders share their ancestors' rules.
/// </summary>
internal sealed class IgnoreChain
{
    public IgnoreChain(IgnoreFile file, IgnoreChain? parent)
    {
        File = file;
        Parent = parent;
    }

    public IgnoreFile File { get; }

    public IgnoreChain? Parent { get; }

    /// <summary>True when the innermost file with a matching rule says to ignore the entry.</summary>
    public static bool IsIgnored(IgnoreChain? chain, string relativeToRoot, string name, bool isDirectory)
    {
        for (var c = chain; c is not null; c = c.Parent)
        {
            var verdict = c.File.Decide(relativeToRoot, name, isDirectory);
            if (verdict is { } v)
            {
                return v;
            }
        }

        return false;
    }
}
