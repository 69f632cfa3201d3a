namespace Memfun.McpServer.Evals.Optimize;

/// <summary>
/// Builds an <c>AGENT.md</c> with another instruction: the original's front matter kept as it is (name, tools,
/// delegates...), the candidate's instruction as the body, and optional <c># </c> comment lines in the front matter
/// (where the optimizer records scores: a YAML comment is never part of the agent's prompt).
/// </summary>
internal static class AgentFileText
{
    /// <summary>The prefix of the comment lines this class writes; lines with it are dropped from an original.</summary>
    public const string CommentPrefix = "# memfun optimize:";

    /// <summary>The original file's text with <paramref name="instruction"/> as its body and <paramref name="comments"/> in its front matter.</summary>
    /// <exception cref="FormatException">The original has no front matter (the agent loader would not have loaded it).</exception>
    public static string With(string original, string instruction, IEnumerable<string>? comments = null)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentException.ThrowIfNullOrWhiteSpace(instruction);
        var (frontMatter, _) = Split(original);
        var lines = frontMatter.Split('\n').Where(l => !l.StartsWith(CommentPrefix, StringComparison.Ordinal));
        var notes = (comments ?? []).Select(c => CommentPrefix + " " + OneLine(c));
        return "---\n" + string.Join("\n", notes.Concat(lines)).Trim('\n') + "\n---\n" + instruction.Trim().Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    /// <summary>The body (the agent's instruction) of an <c>AGENT.md</c>.</summary>
    public static string Body(string text) => Split(text).Body;

    private static (string FrontMatter, string Body) Split(string text)
    {
        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\uFEFF');
        var end = normalized.StartsWith("---\n", StringComparison.Ordinal) ? normalized.IndexOf("\n---", 3, StringComparison.Ordinal) : -1;
        if (end < 0)
        {
            throw new FormatException("The AGENT.md has no front matter between '---' lines.");
        }

        var bodyStart = normalized.IndexOf('\n', end + 1);
        return (normalized[4..end], bodyStart < 0 ? string.Empty : normalized[(bodyStart + 1)..].Trim());
    }

    /// <summary>A comment stays one YAML comment line: line breaks become spaces.</summary>
    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
