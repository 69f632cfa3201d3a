namespace Memfun.Tools.Workspace;

/// <summary>The rules of one ignore file, bound to the folder that holds it.</summary>
/// <remarks>Immutable and thread-safe once built.</remarks>
internal sealed class IgnoreFile
{
    private readonly IgnoreRule[] _rules;

    public IgnoreFile(string baseRelative, IEnumerable<string> lines)
    {
        BaseRelative = baseRelative;
        _rules = [.. lines.Select(IgnoreRule.Parse).OfType<IgnoreRule>()];
    }

    /// <summary>The folder holding the file, relative to the workspace root ("" for the root).</summary>
    public string BaseRelative { get; }

    public int Count => _rules.Length;

    /// <summary>Reads <paramref name="fullPath"/>; null when it is missing, unreadable or has no rules.</summary>
    public static IgnoreFile? TryLoad(string fullPath, string baseRelative)
    {
        try
        {
            var file = new IgnoreFile(baseRelative, File.ReadLines(fullPath));
            return file.Count == 0 ? null : file;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The verdict of the last rule that matches: true = ignored, false = re-included, null = no rule matches.</summary>
    /// <param name="relativeToRoot">The entry's path relative to the workspace root.</param>
    /// <param name="name">The entry's own name.</param>
    /// <param name="isDirectory">True for folders.</param>
    public bool? Decide(string relativeToRoot, string name, bool isDirectory)
    {
        ReadOnlySpan<char> relative = relativeToRoot;
        if (BaseRelative.Length > 0)
        {
            if (relative.Length <= BaseRelative.Length + 1 || !relative.StartsWith(BaseRelative, StringComparison.Ordinal) || relative[BaseRelative.Length] != '/')
            {
                return null;
            }

            relative = relative[(BaseRelative.Length + 1)..];
        }

        for (var i = _rules.Length - 1; i >= 0; i--)
        {
            if (_rules[i].IsMatch(relative, name, isDirectory))
            {
                return !_rules[i].Negate;
            }
        }

        return null;
    }
}
