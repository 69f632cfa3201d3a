using System.Text.RegularExpressions;

namespace Memfun.Engine.Orchestration;

/// <summary>Chooses the first rung of the escalation ladder for a request.</summary>
internal static partial class OrchestrationTier
{
    /// <summary>The tiers a caller may force.</summary>
    public static readonly string[] Names = ["auto", "solver", "workflow", "rlm"];

    /// <summary>
    /// True for exploration-heavy requests — questions that find, count or locate things across the workspace
    /// without asking for a change — which the RLM loop answers best.
    /// </summary>
    public static bool LooksExploratory(string request) =>
        Exploring().IsMatch(request) && !Changing().IsMatch(request);

    [GeneratedRegex(@"\b(how many|count|find all|list all|locate|which files|where (is|are|do|does)|across (the|all)|every file|explore|investigate|survey)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Exploring();

    [GeneratedRegex(@"\b(add|fix|implement|change|write|refactor|rename|remove|delete|create|update|replace|migrate|build)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Changing();
}
