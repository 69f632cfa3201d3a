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
[Toolset(Hosting.Toolsets.Skills)]
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
    [Description("Runs a skill (analyze-code, review-code, fix-bugs, explain-code, generate-tests, security-audit, refactor, " +
        "ask, or the workspace's skills/ and .memfun/skills/). With a model, it returns the skill's answer; without " +
        "one, the skill's instructions with your arguments filled in, to follow yourself. An unknown name lists the " +
        "installed skills.")]
    public static async Task<CallToolResult> RunSkillAsync(
        ModelContextProtocol.Server.McpServer server,
        IServiceProvider services,
        SkillCatalog catalog,
        SkillRunner runner,
        [Description("The skill, e.g. 'review-code' (see prompts/list).")] string name,
        [Description("Optional text for $ARGUMENTS: a path, a question, 'src/app.py security'.")] string? arguments = null,
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
