using Memfun.McpServer.Evals;
using Memfun.McpServer.Tests.Infrastructure;

namespace Memfun.McpServer.Tests.Evals;

/// <summary>Reading suites: the three formats, SWE-bench's JSON-encoded test lists, and clear errors for bad input.</summary>
public sealed class EvalSuiteLoaderTests
{
    [Fact]
    public void A_suite_folder_reads_folder_tasks_with_patch_files_and_a_terminal_task()
    {
        using var root = new TempWorkspace("memfun-eval");
        var suite = EvalSuiteLoader.Load(EvalFixtures.WriteSuite(root.Path));

        Assert.Equal("suite", suite.Name);
        var py = suite.Get("py-add");
        Assert.Equal(EvalTaskFormat.Folder, py.Format);
        Assert.Equal(["test_calc.AddTest.test_add"], py.FailToPass);
        Assert.Contains("+++ b/test_calc.py", py.TestPatch, StringComparison.Ordinal);
        Assert.Contains("+++ b/calc.py", py.GoldPatch, StringComparison.Ordinal);
        Assert.Equal(120, suite.Get("js-slug").TimeoutSeconds);
        var term = suite.Get("term-greet");
        Assert.Equal((EvalTaskFormat.Terminal, EvalFixtures.TermStatement), (term.Format, term.ProblemStatement));
        Assert.EndsWith("check.sh", term.CheckScript, StringComparison.Ordinal);
    }

    [Fact]
    public void A_swe_bench_line_takes_json_encoded_test_lists_or_arrays_and_finds_its_checkout()
    {
        using var root = new TempWorkspace("memfun-eval");
        var (jsonl, repos) = EvalFixtures.WriteSweBench(root.Path);
        File.AppendAllText(jsonl, "\n{\"instance_id\": \"acme__widgets-2\", \"repo\": \"acme/widgets\", \"base_commit\": \"abc\", \"problem_statement\": \"p\", \"FAIL_TO_PASS\": [\"a\", \"b\"]}\n");

        var suite = EvalSuiteLoader.Load(jsonl, repos);

        Assert.Equal(["test_widgets.DoubleTest.test_double"], suite.Get("acme__widgets-1").FailToPass);
        var second = suite.Get("acme__widgets-2");
        Assert.Equal(["a", "b"], second.FailToPass);
        Assert.Empty(second.PassToPass);
        Assert.Equal(EvalSuiteLoader.DefaultSweBenchTestCommand, second.TestCommand);
        Assert.Equal(Path.Combine(repos, "acme__widgets"), second.Source);
    }

    [Theory]
    [InlineData("{\"instance_id\": \"x\", \"repo\": \"acme/widgets\", \"base_commit\": \"abc\"}", "has no \"problem_statement\"")]
    [InlineData("{\"instance_id\": \"x\", \"repo\": \"acme/gadgets\", \"base_commit\": \"abc\", \"problem_statement\": \"p\"}", "no git checkout of 'acme/gadgets'")]
    [InlineData("{\"instance_id\": \"x\", \"repo\": \"acme/widgets\", \"base_commit\": \"abc\", \"problem_statement\": \"p\", \"FAIL_TO_PASS\": \"[oops\"}", "\"FAIL_TO_PASS\" is a string that is not a JSON array")]
    [InlineData("not json", "instances.jsonl:2 is not a JSON object")]
    public void A_bad_swe_bench_line_is_an_error_naming_the_line_and_the_fix(string line, string expected)
    {
        using var root = new TempWorkspace("memfun-eval");
        var (jsonl, repos) = EvalFixtures.WriteSweBench(root.Path);
        File.AppendAllText(jsonl, line + "\n");

        var ex = Assert.Throws<EvalSuiteException>(() => EvalSuiteLoader.Load(jsonl, repos));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_folders_and_missing_repos_are_errors_that_say_what_to_do()
    {
        using var root = new TempWorkspace("memfun-eval");
        var suite = EvalFixtures.WriteSuite(root.Path);
        var (jsonl, _) = EvalFixtures.WriteSweBench(root.Path);
        Directory.CreateDirectory(Path.Combine(suite, "stray"));

        Assert.Contains("stray' is not a task", Assert.Throws<EvalSuiteException>(() => EvalSuiteLoader.Load(suite)).Message, StringComparison.Ordinal);
        Assert.Contains("pass --repos DIR", Assert.Throws<EvalSuiteException>(() => EvalSuiteLoader.Load(jsonl)).Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", Assert.Throws<EvalSuiteException>(() => EvalSuiteLoader.Load(Path.Combine(root.Path, "nope"))).Message, StringComparison.Ordinal);
        Assert.Contains("has no task 'nope'", Assert.Throws<EvalSuiteException>(() => EvalSuiteLoader.Load(Path.Combine(suite, "py-add")).Get("nope")).Message, StringComparison.Ordinal);
    }
}
