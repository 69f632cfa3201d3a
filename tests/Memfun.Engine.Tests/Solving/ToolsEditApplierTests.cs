using Memfun.Engine.Solving;

namespace Memfun.Engine.Tests.Solving;

public sealed class ToolsEditApplierTests
{
    [Fact]
    public async Task A_write_that_fails_midway_restores_the_files_already_written()
    {
        using var h = new SolverHarness();
        h.Write("first.txt", "original\n").Write("blocker", "a file, not a folder\n");
        var applier = h.CreateApplier();

        var ex = await Assert.ThrowsAsync<OperationsRejectedException>(() => applier.ApplyAsync(
        [
            FileOperation.Write("first.txt", "changed\n"),
            FileOperation.Write("new/created.txt", "new\n"),
            FileOperation.Write("blocker/inside.txt", "cannot exist\n"),
        ]));

        Assert.Contains("restored", ex.Message, StringComparison.Ordinal);
        Assert.Equal("original\n", h.Read("first.txt"));
        Assert.False(h.Exists("new/created.txt"));
        Assert.False(Directory.Exists(Path.Combine(h.Root, "new")));
    }

    [Fact]
    public async Task Several_edits_of_one_file_apply_in_order_and_report_one_change()
    {
        using var h = new SolverHarness();
        h.Write("a.py", "x = 1\ny = 2\n");
        var applier = h.CreateApplier();

        var changes = await applier.ApplyAsync([FileOperation.Edit("a.py", "x = 1", "x = 10"), FileOperation.Edit("a.py", "x = 10\ny = 2", "x = 10\ny = 20")]);

        var change = Assert.Single(changes);
        Assert.Equal("x = 1\ny = 2\n", change.Before);
        Assert.Equal("x = 10\ny = 20\n", h.Read("a.py"));
    }

    [Fact]
    public async Task An_edit_of_a_missing_file_is_refused_before_anything_is_written()
    {
        using var h = new SolverHarness();
        var applier = h.CreateApplier();

        var ex = await Assert.ThrowsAsync<OperationsRejectedException>(() => applier.ApplyAsync([FileOperation.Write("a.txt", "x"), FileOperation.Edit("missing.py", "a", "b")]));

        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
        Assert.False(h.Exists("a.txt"));
    }

    [Fact]
    public void An_exact_unique_match_is_replaced()
    {
        Assert.Equal("a\nB\nc\n", ToolsEditApplier.ApplyEdit("a\nb\nc\n", "b\n", "B\n", "a.txt"));
    }

    [Fact]
    public void A_match_differing_only_in_indentation_is_found_and_the_new_text_reindented()
    {
        var file = "class A:\n    def f(self):\n        return 1\n";

        var result = ToolsEditApplier.ApplyEdit(file, "def f(self):\n    return 1", "def f(self):\n    return 2", "a.py");

        Assert.Equal("class A:\n    def f(self):\n        return 2\n", result);
    }

    [Fact]
    public void A_near_miss_is_applied_by_the_fuzzy_strategy_to_the_files_own_lines()
    {
        var file = "def total(items):\n    result = sum(item.price for item in items)\n    return result\n";

        var result = ToolsEditApplier.ApplyEdit(file, "def total(items):\n    result = sum(item.price for item in itms)\n    return result", "def total(items):\n    result = sum(item.price for item in itms)\n    return round(result, 2)", "a.py");

        Assert.Equal("def total(items):\n    result = sum(item.price for item in items)\n    return round(result, 2)\n", result);
    }

    [Fact]
    public void A_near_miss_whose_slip_is_in_a_line_the_edit_changes_is_refused()
    {
        var file = "def total(items):\n    result = sum(item.price for item in items)\n    return result\n";

        var ex = Assert.Throws<Memfun.Tools.Files.EditMatchException>(() => ToolsEditApplier.ApplyEdit(file, "def total(items):\n    result = sum(item.price for item in itms)\n    return result", "def total(items):\n    return sum(item.price for item in items)", "a.py"));

        Assert.Contains("line 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ambiguous_match_is_refused_with_the_candidate_lines()
    {
        var ex = Assert.Throws<Memfun.Tools.Files.EditMatchException>(() => ToolsEditApplier.ApplyEdit("x = 1\nx = 1\n", "x = 1", "x = 2", "a.py"));

        Assert.Contains("matches 2 places", ex.Message, StringComparison.Ordinal);
        Assert.Contains("lines 1, 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_found_nowhere_is_refused()
    {
        var ex = Assert.Throws<Memfun.Tools.Files.EditMatchException>(() => ToolsEditApplier.ApplyEdit("def f():\n    return 1\n", "class Z:\n    pass", "x", "a.py"));

        Assert.Contains("not found", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Crlf_files_keep_their_line_endings()
    {
        Assert.Equal("a\r\nB\r\n", ToolsEditApplier.ApplyEdit("a\r\nb\r\n", "a\nb", "a\nB", "a.txt"));
    }

    [Fact]
    public async Task A_write_that_would_cut_most_of_an_existing_file_is_refused_and_nothing_is_written()
    {
        using var h = new SolverHarness();
        h.Write("big.py", string.Concat(Enumerable.Range(0, 40).Select(i => $"x{i} = {i}\n")));
        var before = h.Read("big.py");

        var ex = await Assert.ThrowsAsync<OperationsRejectedException>(() => h.CreateApplier().ApplyAsync([FileOperation.Write("new.py", "y = 1\n"), FileOperation.Write("big.py", "x0 = 0\n")]));

        Assert.Contains("edit operation", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, h.Read("big.py"));
        Assert.False(h.Exists("new.py"));
    }
}
