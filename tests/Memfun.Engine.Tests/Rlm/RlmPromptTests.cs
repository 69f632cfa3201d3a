using Memfun.Engine.Repl;
using Memfun.Engine.Rlm.Loop;

namespace Memfun.Engine.Tests.Rlm;

public sealed class RlmPromptTests
{
    [Fact]
    public void A_prompt_with_huge_outputs_and_many_steps_is_shortened_to_the_budget()
    {
        var huge = new string('x', 200_000);
        var steps = Enumerable.Range(1, 30).Select(i => new RlmPrompt.StepView(i, $"Console.Write(big{i});\n" + new string('c', 5000), "Ok", huge, "error " + huge, "note", ["read_file a"])).ToList();
        var vars = Enumerable.Range(0, 200).Select(i => new ReplVariable { Name = "v" + i, Type = "string", Size = 1_000_000, Preview = new string('p', 100) }).ToList();
        var options = new RlmOptions { PromptTokenBudget = 4_000 };

        var messages = RlmPrompt.Build(new string('t', 50_000), vars, steps, ["warning"], 31, 40, options);

        Assert.True(messages.Sum(m => TokenEstimate.Of(m.Text)) <= 4_000);
        Assert.Contains("Iteration 31 of 40", messages[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_latest_step_output_keeps_its_head_and_tail()
    {
        var output = "HEAD" + new string('.', 50_000) + "TAIL";
        var messages = RlmPrompt.Build("task", [], [new RlmPrompt.StepView(1, "code", "Ok", output, null, null, [])], [], 2, 20, new RlmOptions());
        var user = messages[^1].Text!;

        Assert.Contains("HEAD", user, StringComparison.Ordinal);
        Assert.Contains("TAIL", user, StringComparison.Ordinal);
        Assert.Contains("characters cut", user, StringComparison.Ordinal);
    }

    [Fact]
    public void Code_blocks_are_found_in_csharp_cs_and_bare_fences_and_joined()
    {
        var reply = "Plan.\n```csharp\nvar a = 1;\n```\nthen\n```cs\nvar b = 2;\n```\n```\nvar c = 3;\n```";
        Assert.Equal("var a = 1;\nvar b = 2;\nvar c = 3;", CodeBlocks.Extract(reply));
        Assert.Null(CodeBlocks.Extract("no code here"));
        Assert.Equal("42", CodeBlocks.PlainFinal("Done.\nFINAL(42)"));
    }
}
