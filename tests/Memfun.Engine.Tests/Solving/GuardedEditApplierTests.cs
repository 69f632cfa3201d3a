using Memfun.Engine.Solving;
using Memfun.Tools.Workspace;

namespace Memfun.Engine.Tests.Solving;

public sealed class GuardedEditApplierTests
{
    [Fact]
    public async Task A_write_that_fails_midway_restores_the_files_already_written()
    {
        using var h = new SolverHarness();
        h.Write("first.txt", "original\n").Write("blocker", "a file, not a folder\n");
        var applier = new GuardedEditApplier(new PathGuard(h.Root));

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
        var applier = new GuardedEditApplier(new PathGuard(h.Root));

        var changes = await applier.ApplyAsync([FileOperation.Edit("a.py", "x = 1", "x = 10"), FileOperation.Edit("a.py", "x = 10\ny = 2", "x = 10\ny = 20")]);

        var change = Assert.Single(changes);
        Assert.Equal("x = 1\ny = 2\n", change.Before);
        Assert.Equal("x = 10\ny = 20\n", h.Read("a.py"));
    }

    [Fact]
    public async Task An_edit_of_a_missing_file_is_refused_before_anything_is_written()
    {
        using var h = new SolverHarness();
        var applier = new GuardedEditApplier(new PathGuard(h.Root));

        var ex = await Assert.ThrowsAsync<OperationsRejectedException>(() => applier.ApplyAsync([FileOperation.Write("a.txt", "x"), FileOperation.Edit("missing.py", "a", "b")]));

        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
        Assert.False(h.Exists("a.txt"));
    }
}
