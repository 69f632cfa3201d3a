using System.ComponentModel;
using System.Text.Json;
using Memfun.Engine.Llm;
using Memfun.Engine.Skills;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Mcp;

/// <summary>The <c>run_skill</c> tool: runs a skill with the model when one is available, else hands its instructions back.</summary>
[McpServerToolType]
internal sealed class SkillTools
{
    /// <summary>The structured result of <c>run_skill</c>.</summary>
    /// <param name="Skill">The skill that ran.</param>
    /// <param name="RanWithModel">True when a model produced <paramref name="Answer"/>; false when no model was available.</param>
    /// <param name="Answer">The model's answer, when it ran.</param>
    /// <param name="Message">Why no model ran, when none did.</param>
    /// <param name="Prompt">The skill's instructions with the arguments filled in.</param>
    internal sealed record RunSkillResult(string Skill, bool RanWithModel, string? Answer, string? Message, string Prompt);

    [McpServerTool(Name = "run_skill", Title = "Run a skill", ReadOnly = true, Destructive = false, Idempotent = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(RunSkillResult))]
    [Description(
        "Runs one of this server's skills (reusable expert procedures: analyze-code, review-code, fix-bugs, explain-code, generate-tests, " +
        "security-audit, refactor, ask, plus any skills in the workspace's skills/ or .memfun/skills/ folders). When a language model is " +
        "available to the server, the skill runs with it (one completion over the skill's instructions and the workspace context it asks for) " +
        "and the answer is returned. When none is available, the result says so and returns the skill's instructions with your arguments filled " +
        "in: follow them yourself with your own tools. An unknown name is an error that lists the installed skills.")]
    public static async Task<CallToolResult> RunSkillAsync(
        ModelContextProtocol.Server.McpServer server,
        IServiceProvider services,
        SkillCatalog catalog,
        SkillRunner runner,
        [Description("The skill name, such as 'review-code' (see skills/list or prompts/list for the installed ones).")] string name,
        [Description("The text the skill receives as $ARGUMENTS, such as a path, a question or 'src/app.py security'. Optional.")] string? arguments = null,
        IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var skill = catalog.Get(name?.Trim() ?? string.Empty);
        if (!skill.ModelInvocable)
        {
            throw new Tools.MemfunToolException($"The skill '{skill.Name}' is marked model-invocable: false: only a person may run it (as the MCP prompt '{skill.Name}' or with 'memfun skill show {skill.Name}').");
        }

        var prompt = SkillRunner.BuildPrompt(skill, arguments);
        string text;
        RunSkillResult result;
        try
        {
            var factory = services.GetService<IChatClientFactory>() ?? throw new LlmNotConfiguredException();
            var client = factory.GetChatClient(server);
            progress?.Report(new ProgressNotificationValue { Progress = 0, Total = 1, Message = $"Running the skill '{skill.Name}' with the model" });
            var run = await runner.RunAsync(skill, arguments, client, cancellationToken);
            progress?.Report(new ProgressNotificationValue { Progress = 1, Total = 1, Message = $"The skill '{skill.Name}' finished" });
            result = new RunSkillResult(skill.Name, true, run.Answer, null, prompt);
            text = run.Answer;
        }
        catch (LlmNotConfiguredException ex)
        {
            result = new RunSkillResult(skill.Name, false, null, ex.Message, prompt);
            text = $"{ex.Message}\n\nThe skill '{skill.Name}' was not run. Its instructions follow, with your arguments filled in: carry them out yourself with your own tools.\n\n{prompt}";
        }

        return ToolResults.Structured(text, result);
    }
}
