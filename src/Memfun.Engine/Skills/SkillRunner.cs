using System.Text;
using Memfun.Tools;
using Memfun.Tools.Workspace;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Memfun.Engine.Skills;

/// <summary>
/// Turns a skill and its arguments into a prompt, and runs it with a model: for now one completion with
/// the workspace context the skill asks for (the agent loop with tools comes later).
/// </summary>
/// <remarks>Thread-safe. Prompts are logged only at Trace.</remarks>
public sealed partial class SkillRunner(PathGuard? guard = null, ILogger<SkillRunner>? logger = null)
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>
    /// The instructions of <paramref name="skill"/> with <paramref name="arguments"/> expanded, headed by its
    /// name and followed by the list of its supporting files (as <c>skill://</c> resources and paths).
    /// </summary>
    public static string BuildPrompt(SkillDefinition skill, string? arguments)
    {
        ArgumentNullException.ThrowIfNull(skill);
        var sb = new StringBuilder();
        sb.Append("# Skill: ").Append(skill.Name).Append("\n\n");
        sb.Append(SkillTemplate.Render(skill, arguments).Trim()).Append('\n');
        var supporting = skill.SupportingFiles.ToList();
        if (supporting.Count > 0)
        {
            sb.Append("\n## Supporting files of this skill\n");
            foreach (var f in supporting)
            {
                sb.Append("- ").Append(f.RelativePath).Append(" (resource skill://").Append(skill.Name).Append('/').Append(f.RelativePath).Append(")\n");
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Runs <paramref name="skill"/> with <paramref name="client"/>: one completion over the skill's prompt,
    /// its supporting files and the workspace context it asks for.
    /// </summary>
    public async Task<SkillRunResult> RunAsync(SkillDefinition skill, string? arguments, IChatClient client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(skill);
        ArgumentNullException.ThrowIfNull(client);
        var prompt = new StringBuilder(BuildPrompt(skill, arguments));
        foreach (var f in skill.SupportingFiles.Where(f => f.Size <= 64 * 1024 && IsText(f.RelativePath)))
        {
            string text;
            try
            {
                // Inside the skill folder after every link, a regular file, at most 64 KB.
                if (SafeFile.ReadOwnText(skill.Directory, f.FullPath, 64 * 1024) is not { } read)
                {
                    continue;
                }

                text = read;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or MemfunToolException)
            {
                continue;
            }

            prompt.Append("\n## ").Append(f.RelativePath).Append("\n\n").Append(text.TrimEnd()).Append('\n');
        }

        if (guard is not null)
        {
            var context = await new SkillContextBuilder(guard).BuildAsync(skill, arguments, cancellationToken).ConfigureAwait(false);
            if (context.Length > 0)
            {
                prompt.Append("\n## Workspace context\n").Append(context);
            }
        }

        var text2 = prompt.ToString();
        LogRunning(_logger, skill.Name);
        LogPromptSensitive(_logger, skill.Name, text2);
        var system = $"You are Memfun, a coding assistant, running the skill '{skill.Name}' ({skill.Description}). " +
                     "In this mode you cannot call tools: work only from the instructions and the workspace context given. " +
                     "When something you need is not in the context, say exactly what is missing instead of guessing.";
        var response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, text2)],
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return new SkillRunResult(skill.Name, response.Text, text2);
    }

    private static bool IsText(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".md" or ".txt" or ".markdown" or ".json" or ".yaml" or ".yml" or ".toml" or ".csv";

    [LoggerMessage(EventId = 2410, Level = LogLevel.Information, Message = "Running skill {Skill} with a model")]
    private static partial void LogRunning(ILogger logger, string skill);

    [LoggerMessage(EventId = 2411, Level = LogLevel.Trace, Message = "Skill {Skill} prompt: {Prompt}")]
    private static partial void LogPromptSensitive(ILogger logger, string skill, string prompt);
}
