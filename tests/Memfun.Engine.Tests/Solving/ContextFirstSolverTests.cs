using Memfun.Engine.Llm;
using Memfun.Engine.Solving;
using Microsoft.Extensions.AI;

namespace Memfun.Engine.Tests.Solving;

public sealed class ContextFirstSolverTests
{
    private const string Calc = "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n";

    [Fact]
    public async Task A_small_workspace_task_takes_two_calls_and_lands_the_change()
    {
        using var h = new SolverHarness();
        h.Write("calc.py", Calc);
        h.Model.Then(Answers.Ops("Add mul.", Answers.Edit("calc.py", "def sub(a, b):\n    return a - b\n", "def sub(a, b):\n    return a - b\n\n\ndef mul(a, b):\n    return a * b\n")))
               .Then(Answers.ReviewOk);

        var result = await h.RunAsync(new SolverRequest(SolverMode.Solve, "Add a mul function to calc.py"));

        Assert.Equal(SolveStatus.Completed, result.Status);
        Assert.Equal(2, result.LlmCalls);
        Assert.Equal(240, result.TotalTokens);
        Assert.False(result.Planned);
        Assert.Contains("def mul(a, b):\n    return a * b", h.Read("calc.py"), StringComparison.Ordinal);
        Assert.Equal(["calc.py"], result.ChangedFiles);
        var check = Assert.Single(result.Lint);
        Assert.Equal("python-syntax", check.Tool);
        Assert.True(check.Passed);
        Assert.True(result.Review!.Ok);
        Assert.Null(result.Escalation);
        // The whole small workspace was in the solve prompt, the diff in the review prompt.
        Assert.Contains("def add(a, b):", h.Model.Calls[0].Messages[^1].Text, StringComparison.Ordinal);
        Assert.Contains("+def mul(a, b):", h.Model.Calls[1].Messages[^1].Text, StringComparison.Ordinal);
        Assert.Contains(h.Steps, s => s.Step == 6 && s.Total == 6);
    }

    [Fact]
    public async Task A_large_workspace_is_planned_first_and_only_the_planned_files_are_read()
    {
        using var h = new SolverHarness(new SolverOptions { SmallWorkspaceBytes = 10 });
        h.Write("calc.py", Calc).Write("other.py", "SECRET_MARKER = 1\n");
        h.Model.Then("""{"read": ["calc.py", "../outside.py"], "search": ["def add"], "web": ["python operator module"]}""")
               .Then(Answers.Ops("Add mul.", Answers.Write("mul.py", "def mul(a, b):\n    return a * b\n")))
               .Then(Answers.ReviewOk);

        var result = await h.RunAsync(new SolverRequest(SolverMode.Solve, "Add a mul function"));

        Assert.Equal(SolveStatus.Completed, result.Status);
        Assert.True(result.Planned);
        Assert.Equal(3, result.LlmCalls);
        var solvePrompt = h.Model.Calls[1].Messages[^1].Text;
        Assert.Contains("### calc.py", solvePrompt, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET_MARKER", solvePrompt, StringComparison.Ordinal);
        Assert.Contains("calc.py:1: def add(a, b):", solvePrompt, StringComparison.Ordinal);
        Assert.Contains(result.Notes, n => n.Contains("../outside.py", StringComparison.Ordinal));
        Assert.Contains(result.Notes, n => n.Contains("not fetched", StringComparison.Ordinal));
        Assert.True(h.Exists("mul.py"));
    }

    [Theory]
    [InlineData("{\"summary\": \"x\", \"operations\": [{\"op\": \"write\", \"path\": \"a.py\", \"content\": \"x = 1\\n\"}", "not valid JSON")]
    [InlineData("Sure! I will add the function.", "no JSON object")]
    [InlineData("{\"summary\": \"x\", \"operations\": [{\"op\": \"delete\", \"path\": \"calc.py\"}]}", "op \"delete\"")]
    [InlineData("{\"summary\": \"x\", \"operations\": [{\"op\": \"write\", \"path\": \"a.py\", \"content\": \"x\", \"mode\": \"755\"}]}", "unexpected field \"mode\"")]
    public async Task A_malformed_answer_leaves_the_workspace_untouched(string answer, string reason)
    {
        using var h = new SolverHarness();
        h.Write("calc.py", Calc);
        var before = h.Snapshot();
        h.Model.Then(answer);

        var result = await h.RunAsync(new SolverRequest(SolverMode.Solve, "Add mul"));

        Assert.Equal(SolveStatus.Rejected, result.Status);
        Assert.Contains(reason, result.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was written", result.Message, StringComparison.Ordinal);
        Assert.Equal(before, h.Snapshot());
        Assert.Empty(result.Operations);
        Assert.Equal(1, result.LlmCalls);
    }

    [Fact]
    public async Task An_edit_that_matches_nothing_refuses_the_whole_answer_including_earlier_writes()
    {
        using var h = new SolverHarness();
        h.Write("calc.py", Calc);
        var before = h.Snapshot();
        h.Model.Then(Answers.Ops("Two changes.",
            Answers.Write("new_module.py", "X = 1\n"),
            Answers.Edit("calc.py", "def add(a, b):\n    return a + b\n", "def add(a, b):\n    return b + a\n"),
            Answers.Edit("calc.py", "def div(a, b):", "def div(a, b):  # never there")));

        var result = await h.RunAsync(new SolverRequest(SolverMode.Solve, "Change things"));

        Assert.Equal(SolveStatus.Rejected, result.Status);
        Assert.Contains("operation 3 (edit calc.py)", result.Message, StringComparison.Ordinal);
        Assert.Contains("was not found in 'calc.py'", result.Message, StringComparison.Ordinal);
        Assert.Equal(before, h.Snapshot());
        Assert.False(h.Exists("new_module.py"));
    }

    [Theory]
    [InlineData("../escape.py")]
    [InlineData("/etc/memfun-escape.py")]
    [InlineData(".git/config")]
    public async Task A_path_outside_the_workspace_refuses_the_whole_answer(string path)
    {
        using var h = new SolverHarness();
        h.Write("calc.py", Calc);
        var before = h.Snapshot();
        h.Model.Then(Answers.Ops("Escape.", Answers.Write("ok.py", "X = 1\n"), Answers.Write(path, "import os\n")));

        var result = await h.RunAsync(new SolverRequest(SolverMode.Solve, "Write files"));

        Assert.Equal(SolveStatus.Rejected, result.Status);
        Assert.Contains("operation 2", result.Message, StringComparison.Ordinal);
        Assert.Equal(before, h.Snapshot());
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(h.Root)!, "escape.py")));
        Assert.False(File.Exists("/etc/memfun-escape.py"));
    }

    [Fact]
    public async Task A_truncated_answer_writes_nothing_and_names_the_workflow_tier()
    {
        using var h = new SolverHarness();
        h.Write("calc.py", Calc);
        var before = h.Snapshot();
        h.Model.Then((_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, "{\"summary\": \"big\", \"operations\": [{\"op\": \"write\", \"path\": \"big.py\", \"content\": \"x = ["))
        {
            FinishReason = ChatFinishReason.Length,
        });

        var result = await h.RunAsync(new SolverRequest(SolverMode.Solve, "Generate a big file"));

        Assert.Equal(SolveStatus.Truncated, result.Status);
        Assert.Equal("workflow", result.Escalation);
        Assert.Contains("cut off", result.Message, StringComparison.Ordinal);
        Assert.Equal(before, h.Snapshot());
    }

    [Fact]
    public async Task A_failing_check_triggers_an_edit_only_fix_cycle_that_repairs_it()
    {
        using var h = new SolverHarness();
        h.Write("calc.py", Calc);
        h.Model.Then(Answers.Ops("Add mul.", Answers.Write("mul.py", "def mul(a, b)\n    return a * b\n")))
               .Then(Answers.Ops("Add the colon.", Answers.Edit("mul.py", "def mul(a, b)", "def mul(a, b):")))
               .Then(Answers.ReviewOk);

        var result = await h.RunAsync(new SolverRequest(SolverMode.Solve, "Add mul in mul.py"));

        Assert.Equal(SolveStatus.Completed, result.Status);
        Assert.Equal(1, result.FixCycles);
        Assert.Equal(3, result.LlmCalls);
        Assert.Equal("def mul(a, b):\n    return a * b\n", h.Read("mul.py"));
        Assert.False(result.Lint[0].Passed);
        Assert.Contains("SyntaxError", result.Lint[0].Output, StringComparison.Ordinal);
        Assert.True(result.Lint[^1].Passed);
        Assert.Equal("fix 1", result.Lint[^1].Phase);
        // The fix call saw the failure and the current file, and was told edits only.
        Assert.Contains("SyntaxError", h.Model.Calls[1].Messages[^1].Text, StringComparison.Ordinal);
        Assert.Contains("Only edit operations", h.Model.Calls[1].Messages[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checks_still_failing_after_two_fix_cycles_end_as_verification_failed_with_escalation()
    {
        using var h = new SolverHarness(new SolverOptions { VerifyCommands = ["test -f ready.flag || (echo 'ready.flag missing' && exit 3)"] });
        h.Write("notes.txt", "hello\n");
        h.Model.Then(Answers.Ops("Edit.", Answers.Edit("notes.txt", "hello", "hello world")))
               .Then(Answers.Ops("Try again.", Answers.Edit("notes.txt", "hello world", "hello, world")))
               .Then(Answers.Ops("And again.", Answers.Edit("notes.txt", "hello, world", "hello, world!")))
               .Then(Answers.ReviewOk);

        var result = await h.RunAsync(new SolverRequest(SolverMode.Solve, "Greet the world"));

        Assert.Equal(SolveStatus.VerificationFailed, result.Status);
        Assert.Equal(2, result.FixCycles);
        Assert.Equal("workflow", result.Escalation);
        Assert.Equal(4, result.LlmCalls);
        Assert.All(result.Lint, l => Assert.Equal("custom", l.Tool));
        Assert.Contains("ready.flag missing", result.Lint[^1].Output, StringComparison.Ordinal);
        Assert.Equal("hello, world!\n", h.Read("notes.txt"));
    }

    [Fact]
    public async Task A_review_that_finds_a_problem_gets_one_edit_only_polish_pass()
    {
        using var h = new SolverHarness();
        h.Write("calc.py", Calc);
        h.Model.Then(Answers.Ops("Add mul.", Answers.Write("mul.py", "def mul(a, b):\n    return a + b\n")))
               .Then(Answers.ReviewNeeds("mul adds instead of multiplying"))
               .Then(Answers.Ops("Multiply.", Answers.Edit("mul.py", "return a + b", "return a * b")));

        var result = await h.RunAsync(new SolverRequest(SolverMode.Solve, "Add mul"));

        Assert.Equal(SolveStatus.Completed, result.Status);
        Assert.True(result.Polished);
        Assert.False(result.Review!.Ok);
        Assert.Equal(3, result.LlmCalls);
        Assert.Equal("def mul(a, b):\n    return a * b\n", h.Read("mul.py"));
        Assert.Contains(result.Operations, o => o.Phase == "polish" && o.Op == "edit");
        Assert.Contains("mul adds instead of multiplying", h.Model.Calls[2].Messages[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_over_its_token_budget_stops_with_a_clear_result_and_writes_nothing()
    {
        using var h = new SolverHarness(llm: new LlmOptions { RequestTokenBudget = 100 });
        h.Write("calc.py", Calc);
        var before = h.Snapshot();
        h.Model.Then(Answers.Ops("Add mul.", Answers.Write("mul.py", "X = 1\n")), inputTokens: 90, outputTokens: 30);

        var result = await h.RunAsync(new SolverRequest(SolverMode.Solve, "Add mul"));

        Assert.Equal(SolveStatus.BudgetExceeded, result.Status);
        Assert.Contains("over its budget of 100 tokens", result.Message, StringComparison.Ordinal);
        Assert.Contains("request_token_budget", result.Message, StringComparison.Ordinal);
        Assert.Contains("not changed", result.Message, StringComparison.Ordinal);
        Assert.Equal(120, result.TotalTokens);
        Assert.Equal(before, h.Snapshot());
    }

    [Fact]
    public async Task Run_operations_execute_after_the_file_changes_and_report_their_output()
    {
        using var h = new SolverHarness();
        h.Write("calc.py", Calc);
        h.Model.Then(Answers.Ops("Generate.", Answers.Write("gen/data.txt", "42\n"), Answers.Run("cat gen/data.txt > gen/copy.txt && echo copied")))
               .Then(Answers.ReviewOk);

        var result = await h.RunAsync(new SolverRequest(SolverMode.Solve, "Generate data"));

        Assert.Equal(SolveStatus.Completed, result.Status);
        Assert.Equal("42\n", h.Read("gen/copy.txt"));
        var run = Assert.Single(result.Operations, o => o.Op == "run");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("copied", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fix_runs_the_checks_first_and_gives_their_failures_to_the_model()
    {
        using var h = new SolverHarness();
        h.Write("broken.py", "def f(:\n    pass\n");
        h.Model.Then(Answers.Ops("Fix the signature.", Answers.Edit("broken.py", "def f(:", "def f():")))
               .Then(Answers.ReviewOk);

        var result = await h.RunAsync(new SolverRequest(SolverMode.Fix, "broken.py does not import"));

        Assert.Equal(SolveStatus.Completed, result.Status);
        Assert.Equal("baseline", result.Lint[0].Phase);
        Assert.False(result.Lint[0].Passed);
        Assert.True(result.Lint[^1].Passed);
        Assert.Contains("The workspace's checks currently fail", h.Model.Calls[0].Messages[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_answers_from_the_code_in_one_call_and_writes_nothing()
    {
        using var h = new SolverHarness();
        h.Write("calc.py", Calc);
        var before = h.Snapshot();
        h.Model.Then("`add` is at calc.py:1.");

        var result = await h.RunAsync(new SolverRequest(SolverMode.Ask, "Where is add?"));

        Assert.Equal(SolveStatus.Answered, result.Status);
        Assert.Equal("`add` is at calc.py:1.", result.Answer);
        Assert.Equal(1, result.LlmCalls);
        Assert.Contains("1: def add(a, b):", h.Model.Calls[0].Messages[^1].Text, StringComparison.Ordinal);
        Assert.Equal(before, h.Snapshot());
    }

    [Fact]
    public async Task Review_of_a_path_returns_the_verdict_and_findings()
    {
        using var h = new SolverHarness(new SolverOptions { SmallWorkspaceBytes = 10 });
        h.Write("src/calc.py", Calc).Write("other/big.py", "Y = 2\n");
        h.Model.Then(Answers.ReviewNeeds("src/calc.py:5: sub has no tests"));

        var result = await h.RunAsync(new SolverRequest(SolverMode.Review, string.Empty, "src"));

        Assert.Equal(SolveStatus.Answered, result.Status);
        Assert.False(result.Review!.Ok);
        Assert.Equal(["src/calc.py:5: sub has no tests"], result.Review.Problems);
        Assert.Equal(1, result.LlmCalls);
        Assert.Contains("### src/calc.py", h.Model.Calls[0].Messages[^1].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("### other/big.py", h.Model.Calls[0].Messages[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_of_a_path_outside_the_workspace_is_refused()
    {
        using var h = new SolverHarness();
        h.Write("calc.py", Calc);

        var ex = await Assert.ThrowsAsync<Memfun.Tools.Workspace.WorkspaceAccessException>(() => h.RunAsync(new SolverRequest(SolverMode.Analyze, string.Empty, "../..")));
        Assert.Contains("outside the workspace", ex.Message, StringComparison.Ordinal);
        Assert.Empty(h.Model.Calls);
    }
}
