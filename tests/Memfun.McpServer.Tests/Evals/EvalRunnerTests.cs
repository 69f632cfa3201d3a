using System.Text.Json;
using Memfun.McpServer.Evals;
using Memfun.McpServer.Tests.Infrastructure;
using Memfun.Testing;

namespace Memfun.McpServer.Tests.Evals;

/// <summary>
/// The eval harness in this process over real tasks (Python unittest, node --test, a Terminal-Bench-style check, a
/// SWE-bench instance in a local git repository), the real ladder answering through an OpenAI-compatible stand-in
/// whose answers are scripted by what each request asks.
/// </summary>
public sealed class EvalRunnerTests
{
    private static EvalRunner Runner(StubModelServer stub) => new(new EvalRunnerOptions
    {
        Parallel = 3,
        Agent = new LadderEvalAgent { Settings = EvalScriptedModels.Settings(stub) },
    });

    [Fact]
    public async Task A_model_answering_with_the_reference_patches_resolves_every_task_through_the_solver()
    {
        using var root = new TempWorkspace("memfun-eval");
        var suite = EvalSuiteLoader.Load(EvalFixtures.WriteSuite(root.Path));
        using var stub = new StubModelServer { RespondTo = EvalScriptedModels.Reference(await EvalScriptedModels.ReferenceAnswersAsync(suite)) };

        var report = await Runner(stub).RunSuiteAsync(suite);

        Assert.Equal(["js-slug", "py-add", "term-greet"], report.Tasks.Select(t => t.Id));
        Assert.All(report.Tasks, t =>
        {
            Assert.True(t.Resolved, $"{t.Id}: {t.Error}\n{t.Summary}\n{JsonSerializer.Serialize(t.Tests)}");
            Assert.Equal("solver", t.Rung);
            Assert.Equal(2, t.LlmCalls); // solve + review
            Assert.Equal(200, t.InputTokens);
            Assert.Equal(40, t.OutputTokens);
            Assert.All(t.Tests, x => Assert.True(x.Passed));
        });
        var py = report.Tasks.Single(t => t.Id == "py-add");
        Assert.Equal([("test_calc.AddTest.test_add", "FAIL_TO_PASS"), ("test_sub.SubTest.test_sub", "PASS_TO_PASS")], py.Tests.Select(x => (x.Id, x.Set)));
        Assert.Contains("-    return a - b\n+    return a + b", py.Diff, StringComparison.Ordinal);
        Assert.DoesNotContain("test_calc.py", py.Diff, StringComparison.Ordinal); // the test patch is the baseline, not the agent's change
        Assert.Contains("+hello eval", report.Tasks.Single(t => t.Id == "term-greet").Diff, StringComparison.Ordinal);
        Assert.Equal(2, report.Tasks.Single(t => t.Id == "js-slug").Tests.Count);

        var totals = report.Totals;
        Assert.Equal((3, 3, 0, 0, 6, 600L, 120L), (totals.Tasks, totals.Resolved, totals.Unresolved, totals.Errored, totals.LlmCalls, totals.InputTokens, totals.OutputTokens));
        Assert.Equal(3, totals.ResolvedByRung["solver"]);
        var (json, md) = await EvalReportWriter.WriteAsync(report, Path.Combine(root.Path, "out"));
        Assert.Contains("**3 of 3 resolved**", await File.ReadAllTextAsync(md), StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal(3, doc.RootElement.GetProperty("totals").GetProperty("resolved").GetInt32());
    }

    [Fact]
    public async Task A_model_that_changes_nothing_resolves_no_task_and_the_passing_tests_still_pass()
    {
        using var root = new TempWorkspace("memfun-eval");
        var suite = EvalSuiteLoader.Load(EvalFixtures.WriteSuite(root.Path));
        using var stub = new StubModelServer { RespondTo = EvalScriptedModels.Always(EvalScriptedModels.NoChange) };

        var report = await Runner(stub).RunSuiteAsync(suite);

        Assert.All(report.Tasks, t =>
        {
            Assert.False(t.Resolved, t.Id);
            Assert.False(t.Errored, t.Error);
            Assert.Equal("solver", t.Rung);
            Assert.Equal(string.Empty, t.Diff);
            Assert.All(t.Tests, x => Assert.Equal(x.Set == "PASS_TO_PASS", x.Passed));
        });
        Assert.Equal((0, 3, 0), (report.Totals.Resolved, report.Totals.Unresolved, report.Totals.Errored));
    }

    [Fact]
    public async Task A_model_that_breaks_its_json_errors_each_task_and_the_run_reports_them_all()
    {
        using var root = new TempWorkspace("memfun-eval");
        var suite = EvalSuiteLoader.Load(EvalFixtures.WriteSuite(root.Path));
        using var stub = new StubModelServer { RespondTo = EvalScriptedModels.Always(EvalScriptedModels.BrokenJson) };

        var report = await Runner(stub).RunSuiteAsync(suite);

        Assert.Equal(3, report.Tasks.Count);
        Assert.All(report.Tasks, t =>
        {
            Assert.True(t.Errored, $"{t.Id} was not errored: {t.Summary}");
            Assert.Contains("JSON", t.Error, StringComparison.Ordinal);
            Assert.False(t.Resolved);
            Assert.True(t.LlmCalls >= 1);
        });
        Assert.Equal(3, report.Totals.Errored);
        Assert.Contains("| error |", EvalReportWriter.ToMarkdown(report), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_swe_bench_instance_runs_in_a_clone_at_its_base_commit_and_its_gold_patch_resolves_it()
    {
        using var root = new TempWorkspace("memfun-eval");
        var (jsonl, repos) = EvalFixtures.WriteSweBench(root.Path);
        var suite = EvalSuiteLoader.Load(jsonl, repos);
        using var stub = new StubModelServer { RespondTo = EvalScriptedModels.Reference(await EvalScriptedModels.ReferenceAnswersAsync(suite)) };

        var result = await Runner(stub).RunTaskAsync(suite.Get("acme__widgets-1"));

        // At HEAD the test patch (a new test_widgets.py) would not apply, and widgets.py would have half().
        Assert.True(result.Resolved, $"{result.Error}\n{result.Summary}");
        Assert.Equal("swe-bench", result.Format);
        Assert.Equal(("test_widgets.DoubleTest.test_double", "FAIL_TO_PASS", true), (result.Tests[0].Id, result.Tests[0].Set, result.Tests[0].Passed));
        Assert.Contains("-    return x * 3\n+    return x * 2", result.Diff, StringComparison.Ordinal);
        Assert.DoesNotContain("half", result.Diff, StringComparison.Ordinal);
        // The checkout is untouched.
        Assert.Contains("def half", File.ReadAllText(Path.Combine(repos, "acme__widgets", "widgets.py")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_that_edits_the_test_instead_of_the_code_is_not_resolved()
    {
        using var root = new TempWorkspace("memfun-eval");
        var suite = EvalSuiteLoader.Load(EvalFixtures.WriteSuite(root.Path)).Only(["py-add"]);
        var cheat = JsonSerializer.Serialize(new
        {
            summary = "Made the test expect what add returns.",
            // The agent works without the new tests (as in SWE-bench), so the cheat writes its own test_calc.py.
            operations = new[]
            {
                new { op = "write", path = "test_calc.py", content = "import unittest\n\nfrom calc import add\n\n\nclass AddTest(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(add(2, 3), -1)\n" },
            },
        });
        using var stub = new StubModelServer { RespondTo = EvalScriptedModels.Reference(new Dictionary<string, string> { [EvalFixtures.PyStatement] = cheat }) };

        var result = Assert.Single((await Runner(stub).RunSuiteAsync(suite)).Tasks);

        Assert.True(result.Diff.Contains("test_calc.py", StringComparison.Ordinal), result.Summary + "\n" + result.Error); // the agent did change the test…
        Assert.False(result.Resolved); // …but the test patch's version is what ran
        Assert.False(result.Tests.Single(t => t.Set == "FAIL_TO_PASS").Passed);
    }

    [Fact]
    public async Task Tokens_a_provider_does_not_report_stay_unknown()
    {
        using var root = new TempWorkspace("memfun-eval");
        var suite = EvalSuiteLoader.Load(EvalFixtures.WriteSuite(root.Path)).Only(["term-greet"]);
        var noUsage = JsonSerializer.Serialize(new
        {
            id = "chatcmpl-stub", @object = "chat.completion", created = 1_700_000_000, model = "stub-model",
            choices = new[] { new { index = 0, message = new { role = "assistant", content = EvalScriptedModels.NoChange }, finish_reason = "stop" } },
        });
        using var stub = new StubModelServer { RespondTo = (_, _) => new StubModelServer.Reply(200, noUsage) };

        var report = await Runner(stub).RunSuiteAsync(suite);

        var task = Assert.Single(report.Tasks);
        Assert.Equal(1, task.LlmCalls);
        Assert.Null(task.InputTokens);
        Assert.Null(task.OutputTokens);
        Assert.Null(report.Totals.InputTokens);
        Assert.Contains("unknown input / unknown output tokens", EvalReportWriter.ToMarkdown(report), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tasks_whose_workspace_cannot_be_made_are_errored_and_the_others_still_run()
    {
        using var root = new TempWorkspace("memfun-eval");
        var suitePath = EvalFixtures.WriteSuite(root.Path);
        foreach (var (name, setup, patch) in new (string Name, string? Setup, string? Patch)[] { ("bad-setup", "echo building; exit 3", null), ("bad-patch", null, "--- a/nothing.py\n+++ b/nothing.py\n@@ -1 +1 @@\n-x\n+y\n") })
        {
            Directory.CreateDirectory(Path.Combine(suitePath, name, "repo"));
            File.WriteAllText(Path.Combine(suitePath, name, "repo", "a.txt"), "a\n");
            File.WriteAllText(Path.Combine(suitePath, name, "task.json"), JsonSerializer.Serialize(new { problem_statement = "Do " + name, test_command = "true", setup_command = setup, test_patch = patch }));
        }

        var suite = EvalSuiteLoader.Load(suitePath).Only(["bad-setup", "bad-patch", "term-greet"]);
        using var stub = new StubModelServer { RespondTo = EvalScriptedModels.Always(EvalScriptedModels.NoChange) };

        var report = await Runner(stub).RunSuiteAsync(suite);

        var setupTask = report.Tasks.Single(t => t.Id == "bad-setup");
        Assert.Contains("The setup command of task bad-setup failed (exit 3): building", setupTask.Error, StringComparison.Ordinal);
        Assert.Equal(0, setupTask.LlmCalls);
        Assert.Contains("Could not apply the test patch", report.Tasks.Single(t => t.Id == "bad-patch").Error, StringComparison.Ordinal);
        var term = report.Tasks.Single(t => t.Id == "term-greet");
        Assert.False(term.Errored, term.Error);
        Assert.Equal(("check.sh", false), (term.Tests.Single().Id, term.Tests.Single().Passed));
        Assert.Equal((2, 1), (report.Totals.Errored, report.Totals.Unresolved));
    }
}
