using Memfun.Engine.Llm;
using Memfun.Engine.Skills;
using Memfun.McpServer.Mcp;
using Memfun.McpServer.Tests.Infrastructure;
using Memfun.Tools;
using Memfun.Tools.Workspace;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Tests.Mcp;

/// <summary>
/// run_skill with a model: the tool resolves the chat-client factory from DI (its real implementation
/// lives with the LLM layer), so these tests give it one whose client answers from a fixed script.
/// </summary>
public sealed class SkillToolsTests : IDisposable
{
    private readonly TempWorkspace _ws = new("memfun-run-skill");

    private ServiceProvider Services(IChatClientFactory? factory)
    {
        var services = new ServiceCollection();
        services.AddMemfunTools(o => o.Root = _ws.Path);
        services.AddMemfunSkills();
        if (factory is not null)
        {
            services.AddSingleton(factory);
        }

        return services.BuildServiceProvider();
    }

    private async Task<CallToolResult> Run(ServiceProvider services, string name, string? arguments, IProgress<ProgressNotificationValue>? progress = null) =>
        await SkillTools.RunSkillAsync(null!, services, services.GetRequiredService<SkillCatalog>(), services.GetRequiredService<SkillRunner>(), name, arguments, progress);

    [Fact]
    public async Task With_a_model_the_skill_runs_and_its_answer_is_returned()
    {
        _ws.Write("src/calc.py", "def add(a, b):\n    return a - b\n");
        var client = new FixedAnswerChatClient("add() subtracts: it returns a - b instead of a + b.");
        using var services = Services(new FixedFactory(client));

        var reports = new List<ProgressNotificationValue>();
        var result = await Run(services, "fix-bugs", "src/calc.py returns wrong sums", new SynchronousProgress(reports.Add));

        Assert.Equal("add() subtracts: it returns a - b instead of a + b.", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
        Assert.True(result.StructuredContent!.Value.GetProperty("ranWithModel").GetBoolean());
        var prompt = client.Messages[1].Text;
        Assert.Contains("The symptom: **src/calc.py returns wrong sums**", prompt, StringComparison.Ordinal);
        Assert.Contains("return a - b", prompt, StringComparison.Ordinal);
        Assert.Equal(["Running the skill 'fix-bugs' with the model", "The skill 'fix-bugs' finished"], reports.Select(r => r.Message));
    }

    [Fact]
    public async Task When_the_host_cannot_sample_the_not_configured_message_and_the_prompt_come_back()
    {
        using var services = Services(new FixedFactory(null));

        var result = await Run(services, "ask", "where is main?");

        Assert.NotEqual(true, result.IsError);
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        Assert.StartsWith(LlmNotConfiguredException.DefaultMessage, text, StringComparison.Ordinal);
        Assert.Contains("Question: **where is main?**", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_skill_that_is_not_model_invocable_is_refused()
    {
        _ws.Write("skills/release/SKILL.md", "---\nname: release\ndescription: Cut a release.\nmodel-invocable: false\n---\nRelease.\n");
        using var services = Services(null);

        var ex = await Assert.ThrowsAsync<MemfunToolException>(() => Run(services, "release", null));

        Assert.Contains("model-invocable: false", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _ws.Dispose();

    private sealed class SynchronousProgress(Action<ProgressNotificationValue> report) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) => report(value);
    }

    private sealed class FixedFactory(IChatClient? client) : IChatClientFactory
    {
        public IChatClient GetChatClient(ModelContextProtocol.Server.McpServer? requestServer = null) =>
            client ?? throw new LlmNotConfiguredException();
    }

    private sealed class FixedAnswerChatClient(string answer) : IChatClient
    {
        public List<ChatMessage> Messages { get; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Messages.AddRange(messages);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
