using Memfun.Engine.Agents;
using Memfun.Engine.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using static Memfun.Engine.Tests.Agents.ChatReplies;

namespace Memfun.Engine.Tests.Agents;

public sealed class SpecialistRunnerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("memfun-runner").FullName;

    private static AgentDefinition Agent(int cap = 5, bool codeProducing = true, params string[] tools) =>
        new("coder", "Codes.", cap, tools.Length > 0 ? tools : ["read_file", "edit_file"], [], codeProducing, "You code.", "AGENT.md");

    [Fact]
    public async Task The_loop_runs_the_tools_the_model_asks_for_then_ends_with_its_answer()
    {
        File.WriteAllText(Path.Combine(_root, "a.txt"), "hello world");
        var chat = new ScriptedChatClient()
            .Then((_, _) => ToolCalls(("read_file", Args(("path", "a.txt")))))
            .Then((_, _) => ToolCalls(("edit_file", Args(("path", "a.txt"), ("old_text", "world"), ("new_text", "there")))))
            .Then("Done: greeted there.");
        var host = new FolderToolHost(_root);

        var result = await new SpecialistRunner().RunAsync(Agent(), "greet", null, chat, host);

        Assert.Equal("completed", result.StopReason);
        Assert.Equal("ok", result.Verdict);
        Assert.Equal(3, result.Iterations);
        Assert.Equal("hello there", File.ReadAllText(Path.Combine(_root, "a.txt")));
        var op = Assert.Single(result.Operations);
        Assert.Equal(("edit_file", "a.txt", true), (op.Tool, op.Target, op.Succeeded));
        Assert.Equal("Done: greeted there.", result.Answer);
        Assert.True(result.TotalTokens > 0);
    }

    [Fact]
    public async Task A_tool_outside_the_agents_list_is_refused_and_never_runs()
    {
        var chat = new ScriptedChatClient()
            .Then((_, _) => ToolCalls(("write_file", Args(("path", "evil.txt"), ("content", "x")))))
            .Then("ok");
        var host = new FolderToolHost(_root);

        var result = await new SpecialistRunner().RunAsync(Agent(tools: ["read_file"]), "task", null, chat, host);

        Assert.False(File.Exists(Path.Combine(_root, "evil.txt")));
        Assert.Empty(host.Calls);
        var call = Assert.Single(result.ToolCalls);
        Assert.True(call.IsError);
        var toolMessage = chat.Calls[1].Messages.Last(m => m.Role == ChatRole.Tool);
        var refusal = Assert.IsType<FunctionResultContent>(Assert.Single(toolMessage.Contents));
        Assert.Contains("not allowed for the coder agent", refusal.Result?.ToString(), StringComparison.Ordinal);
        // Only the allowed tools were declared to the model.
        Assert.Equal(["read_file"], chat.Calls[0].Options!.Tools!.Select(t => t.Name));
    }

    [Fact]
    public async Task The_iteration_cap_stops_a_model_that_never_finishes_and_stall_warnings_are_given()
    {
        File.WriteAllText(Path.Combine(_root, "a.txt"), "x");
        var chat = new ScriptedChatClient();
        for (var i = 0; i < 4; i++)
        {
            chat.Then((_, _) => ToolCalls(("read_file", Args(("path", "a.txt")))));
        }

        var result = await new SpecialistRunner().RunAsync(Agent(cap: 4), "task", null, chat, new FolderToolHost(_root));

        Assert.Equal("iteration_cap", result.StopReason);
        Assert.Equal(4, result.Iterations);
        Assert.Equal(0, chat.Remaining);
        Assert.Contains(result.Warnings, w => w.Contains("nothing has been done", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("read 'a.txt' 3 times", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("Only 3 iterations are left of 4", StringComparison.Ordinal));
        // The same countdown as the RLM loop's: the model is told when its next iteration is its last.
        Assert.Contains(result.Warnings, w => w.Contains("This is the last iteration of 4", StringComparison.Ordinal));
        // The warnings reached the model as messages.
        Assert.Contains(chat.Calls[^1].Messages, m => m.Role == ChatRole.User && m.Text.Contains("read 'a.txt' 3 times", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancellation_stops_the_run()
    {
        using var cts = new CancellationTokenSource();
        var chat = new ScriptedChatClient().Then((_, _) =>
        {
            cts.Cancel();
            return ToolCalls(("read_file", Args(("path", "a.txt"))));
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new SpecialistRunner().RunAsync(Agent(), "task", null, chat, new FolderToolHost(_root), cancellationToken: cts.Token));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
