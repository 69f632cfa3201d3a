using Memfun.Engine.Solving;
using Microsoft.Extensions.Logging.Abstractions;

namespace Memfun.Engine.Tests.Solving;

/// <summary>The quality pipeline on its own (the agent path): a real workspace, real check commands, a scripted model.</summary>
public sealed class QualityPipelineTests
{
    private const string Calc = "def add(a, b):\n    return a + b\n";

    private static QualityPipeline Create(SolverHarness h) =>
        new(h.CreateReader(), h.CreateApplier(), h.CreateRunner(), h.Options, NullLogger.Instance);

    [Fact]
    public async Task A_change_that_passes_the_checks_but_fails_the_review_is_polished_once_and_checked_again()
    {
        using var h = new SolverHarness(new SolverOptions { VerifyCommands = ["grep -q 'def mul' calc.py"] });
        h.Write("calc.py", Calc + "\n\ndef mul(a, b):\n    return a * b\n");
        h.Model
            .Then("""{"verdict": "needs_changes", "problems": ["mul has no docstring"], "summary": "almost"}""")
            .Then("""{"summary": "Docstring.", "operations": [{"op": "edit", "path": "calc.py", "old": "def mul(a, b):\n", "new": "def mul(a, b):\n    \"\"\"Multiplies.\"\"\"\n"}]}""");

        var result = await Create(h).RunAsync("Add mul", "Added mul.", new Dictionary<string, string?> { ["calc.py"] = Calc }, h.Client);

        Assert.Equal("ok", result.Verdict);
        Assert.True(result.Polished);
        Assert.Equal(0, result.FixCycles);
        Assert.Equal(["agent", "polish"], result.Lint.Select(l => l.Phase));
        Assert.All(result.Lint, l => Assert.True(l.Passed));
        Assert.Equal("needs_changes", result.Review!.Verdict);
        Assert.Equal([("edit", "calc.py", "polish")], result.Operations.Select(o => (o.Op, o.Path, o.Phase)));
        Assert.Contains("\"\"\"Multiplies.\"\"\"", h.Read("calc.py"), StringComparison.Ordinal);
        Assert.Equal(240, result.InputTokens + result.OutputTokens);
        // The review saw the agent's change as a diff against the original text.
        Assert.Contains("+def mul(a, b):", h.Model.Calls[0].Messages[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checks_that_still_fail_after_two_fix_cycles_give_verification_failed_and_keep_the_files()
    {
        using var h = new SolverHarness(new SolverOptions { VerifyCommands = ["grep -q 'never there' calc.py"] });
        h.Write("calc.py", Calc + "# changed\n");
        h.Model
            .Then("""{"summary": "Try.", "operations": [{"op": "edit", "path": "calc.py", "old": "# changed\n", "new": "# changed once\n"}]}""")
            .Then("""{"summary": "Try again.", "operations": [{"op": "edit", "path": "calc.py", "old": "# changed once\n", "new": "# changed twice\n"}]}""")
            .Then("""{"verdict": "ok", "problems": [], "summary": "fine"}""");

        var result = await Create(h).RunAsync("Change calc", null, new Dictionary<string, string?> { ["calc.py"] = Calc }, h.Client);

        Assert.Equal("verification_failed", result.Verdict);
        Assert.Equal(2, result.FixCycles);
        Assert.Equal(["agent", "fix 1", "fix 2"], result.Lint.Select(l => l.Phase));
        Assert.All(result.Lint, l => Assert.False(l.Passed));
        Assert.EndsWith("# changed twice\n", h.Read("calc.py"), StringComparison.Ordinal);
        Assert.Equal(0, h.Model.Remaining);
    }

    [Fact]
    public async Task Files_that_do_not_differ_from_their_originals_run_nothing()
    {
        using var h = new SolverHarness(new SolverOptions { VerifyCommands = ["false"] });
        h.Write("calc.py", Calc);

        var result = await Create(h).RunAsync("Nothing", null, new Dictionary<string, string?> { ["calc.py"] = Calc, ["gone.py"] = null }, h.Client);

        Assert.Equal("unchanged", result.Verdict);
        Assert.Empty(result.Lint);
        Assert.Empty(h.Model.Calls);
    }
}
