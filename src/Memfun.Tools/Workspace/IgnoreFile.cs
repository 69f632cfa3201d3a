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

    /// <summary>The largest ignore file read; a larger one (or a link to <c>/dev/zero</c>) is skipped.</summary>
    public const long MaxBytes = 4L * 1024 * 1024;

    /// <summary>
    /// Reads <paramref name="fullPath"/> through <see cref="SafeFile"/> (inside <paramref name="roots"/>, a regular
    /// file of at most <see cref="MaxBytes"/>); null when it is missing, refused, unreadable or has no rules.
    /// </summary>
    public static IgnoreFile? TryLoad(IReadOnlyList<string> roots, string fullPath, string baseRelative)
    {
        try
        {
            var text = SafeFile.DecodeUtf8(SafeFile.ReadAllBytes(roots, fullPath, fullPath, MaxBytes));
            var file = new IgnoreFile(baseRelative, text.ReplaceLineEndings("\n").Split('\n'));
            return file.Count == 0 ? null : file;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or MemfunToolException)
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
