namespace Memfun.Tools.Git;

/// <summary>
/// What every git invocation of the server carries so that a repository cannot make git run its own
/// commands: fsmonitor, hooks, external diff, pagers, signature programs and transport helpers are
/// turned off on the command line; textconv and external diff drivers are refused per command
/// (<see cref="DiffOptions"/>); filter drivers named in the repository's config are blanked
/// (<see cref="FilterOverrides"/>); the system config and attributes are not read, and variables that
/// would point git elsewhere are removed.
/// </summary>
/// <remarks>
/// Stateless and thread-safe. Command-line <c>-c</c> settings win over the repository's <c>.git/config</c>
/// and pass on to the git processes git itself starts (submodules).
/// </remarks>
internal static class GitSafety
{
    /// <summary>The options that go before the subcommand.</summary>
    public static IReadOnlyList<string> GlobalOptions { get; } =
    [
        "--no-pager",
        "-c", "core.fsmonitor=false",
        "-c", "core.hooksPath=/dev/null",
        "-c", "diff.external=",
        "-c", "core.pager=cat",
        "-c", "core.editor=false",
        "-c", "core.askPass=",
        "-c", "core.sshCommand=false",
        "-c", "credential.helper=",
        "-c", "protocol.allow=never",
        "-c", "log.showSignature=false",
        "-c", "gpg.program=false",
        "-c", "core.quotepath=off",
        "-c", "color.ui=never",
    ];

    /// <summary>The options every diff, show and log takes: no textconv, no external diff driver.</summary>
    public static IReadOnlyList<string> DiffOptions { get; } = ["--no-textconv", "--no-ext-diff"];

    /// <summary>The arguments of the query that lists the filter drivers the repository's config names.</summary>
    public static IReadOnlyList<string> FilterQuery { get; } = [.. GlobalOptions, "config", "--null", "--name-only", "--get-regexp", @"^filter\."];

    /// <summary>The environment: no system config or attributes, no prompts or pagers, nothing that points git at another repository or program.</summary>
    public static IReadOnlyDictionary<string, string?> Environment { get; } = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["GIT_ATTR_NOSYSTEM"] = "1",
        ["GIT_TERMINAL_PROMPT"] = "0",
        ["GIT_OPTIONAL_LOCKS"] = "0",
        ["GIT_PAGER"] = "cat",
        ["PAGER"] = "cat",
        ["LC_ALL"] = "C",
        ["GIT_DIR"] = null,
        ["GIT_WORK_TREE"] = null,
        ["GIT_INDEX_FILE"] = null,
        ["GIT_OBJECT_DIRECTORY"] = null,
        ["GIT_ALTERNATE_OBJECT_DIRECTORIES"] = null,
        ["GIT_CONFIG"] = null,
        ["GIT_CONFIG_PARAMETERS"] = null,
        ["GIT_CONFIG_COUNT"] = null,
        ["GIT_EXTERNAL_DIFF"] = null,
        ["GIT_DIFF_OPTS"] = null,
        ["GIT_SSH"] = null,
        ["GIT_SSH_COMMAND"] = null,
        ["GIT_ASKPASS"] = null,
        ["SSH_ASKPASS"] = null,
        ["GIT_EDITOR"] = null,
        ["GIT_EXEC_PATH"] = null,
        ["GIT_TRACE"] = null,
    };

    /// <summary>
    /// Turns the output of <see cref="FilterQuery"/> (NUL-separated key names) into <c>-c key=</c> pairs that
    /// blank each <c>clean</c>, <c>smudge</c> and <c>process</c> command (an empty command runs nothing).
    /// </summary>
    public static IReadOnlyList<string> FilterOverrides(string names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var result = new List<string>();
        foreach (var name in names.Split(['\0', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (name.EndsWith(".clean", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".smudge", StringComparison.OrdinalIgnoreCase) ||
                name.EndsWith(".process", StringComparison.OrdinalIgnoreCase))
            {
                result.Add("-c");
                result.Add(name + "=");
            }
        }

        return result;
    }
}
