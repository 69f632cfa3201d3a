using Memfun.Engine.Repl;
using Memfun.Engine.Rlm.Loop;
using Memfun.Engine.Tests.Infrastructure;
using Memfun.Engine.Tests.Repl;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Memfun.Engine.Tests.Rlm;

public sealed class RlmRunnerTests
{
    private const int PromptBudget = 3_000;

    [Fact]
    public async Task A_scripted_model_answers_a_question_over_a_workspace_far_larger_than_its_prompt_budget()
    {
        await using var host = new ReplTestHost();
        // 3,000 files of about 2 KB: roughly 1.5 million tokens of text against a 3,000-token prompt.
        var expected = 0;
        var largestFile = string.Empty;
        var largestValue = -1;
        long totalChars = 0;
        for (var i = 0; i < 3000; i++)
        {
            var flagged = i % 7 == 3;
            expected += flagged ? 1 : 0;
            var value = (i * 7919) % 100_003;
            if (value > largestValue)
            {
                largestValue = value;
                largestFile = $"logs/{i / 100:D2}/service-{i:D4}.log";
            }

            var body = string.Concat(Enumerable.Range(0, 30).Select(l => $"2026-11-25T10:{l:D2}:00 info request {i}-{l} served in {l * 3} ms\n"))
                + (flagged ? "2026-11-25T11:00:00 error PURPLE-ALERT disk quota exceeded\n" : string.Empty)
                + $"metric value={value}\n";
            totalChars += body.Length;
            host.Write($"logs/{i / 100:D2}/service-{i:D4}.log", body);
        }

        var chat = new ScriptedChatClient()
            .Then("""
                First, see what is there.
                ```csharp
                var files = list_files("logs", "*.log");
                Console.WriteLine($"{files.Length} files; first {files[0]}");
                ```
                """)
            .Then("""
                Count the files with the alert, and find the largest metric, without printing the files.
                ```csharp
                var alerted = search("PURPLE-ALERT", "logs").Select(h => h.Split(':')[0]).Distinct().ToList();
                var best = search("value=", "logs").Select(h => (f: h.Split(':')[0], v: int.Parse(h.Split("value=")[1]))).MaxBy(x => x.v);
                Console.WriteLine($"{alerted.Count} alerted; largest {best.v} in {best.f}");
                ```
                """)
            .Then((messages, _) =>
            {
                // The model reads the output view in its prompt, as a real one would.
                var prompt = messages[^1].Text!;
                var line = prompt.Split('\n').Last(l => l.Contains(" alerted; largest ", StringComparison.Ordinal));
                var parts = line.Split(' ');
                return new ChatResponse(new ChatMessage(ChatRole.Assistant, $$"""
                    ```csharp
                    FINAL("{{parts[0]}} files have PURPLE-ALERT; the largest metric is {{parts[3]}} in {{parts[5]}}");
                    ```
                    """));
            });

        var runner = Runner(PromptBudget, host);
        var progress = new List<RlmProgress>();
        var result = await runner.RunAsync("How many log files contain PURPLE-ALERT, and which file has the largest metric value?", null, chat, new SyncProgress<RlmProgress>(progress.Add));

        Assert.Equal("final", result.Finish);
        Assert.Equal($"{expected} files have PURPLE-ALERT; the largest metric is {largestValue} in {largestFile}", result.Answer);
        Assert.Equal(3, result.Iterations);
        Assert.True(totalChars / 4 > 100 * PromptBudget, "the workspace should dwarf the prompt budget");
        Assert.All(chat.Calls, c => Assert.True(c.Messages.Sum(m => TokenEstimate.Of(m.Text)) <= PromptBudget));
        Assert.True(result.LargestPromptTokens <= PromptBudget);
        Assert.Contains(progress, p => p.Iteration == 2 && p.Message.Contains("running", StringComparison.Ordinal));
        var trace = host.Traces.Find(result.TraceId)!;
        Assert.Equal(3, trace.StepCount);
        Assert.Equal("final", trace.Finish);
    }

    [Fact]
    public async Task The_run_stops_at_the_iteration_cap_and_warns_the_model_before()
    {
        await using var host = new ReplTestHost();
        host.Write("a.txt", "hello");
        var chat = new ScriptedChatClient();
        for (var i = 0; i < 4; i++)
        {
            chat.Then("```csharp\nvar t = read_file(\"a.txt\");\n```");
        }

        var result = await Runner(PromptBudget, host).RunAsync("Say hello.", 4, chat);

        Assert.Equal("iteration_cap", result.Finish);
        Assert.Null(result.Answer);
        Assert.Equal(4, chat.Calls.Count);
        var last = chat.Calls[^1].Messages[^1].Text!;
        Assert.Contains("You have read 'a.txt' 3 times", last, StringComparison.Ordinal);
        Assert.Contains("last iteration", last, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_without_code_runs_nothing_and_the_model_is_told_so()
    {
        await using var host = new ReplTestHost();
        var chat = new ScriptedChatClient().Then("I think the answer is obvious.").Then("FINAL(obvious)");

        var result = await Runner(PromptBudget, host).RunAsync("What?", 5, chat);

        Assert.Equal("final", result.Finish);
        Assert.Equal("obvious", result.Answer);
        Assert.Contains("no ```csharp block", chat.Calls[1].Messages[^1].Text!, StringComparison.Ordinal);
    }

    private static RlmRunner Runner(int promptBudget, ReplTestHost host)
    {
        var registry = host.Registry();
        return new RlmRunner(registry, Options.Create(new RlmOptions { PromptTokenBudget = promptBudget }), NullLogger<RlmRunner>.Instance);
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
