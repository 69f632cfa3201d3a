using Memfun.Engine.Repl;

namespace Memfun.Engine.Tests.Repl;

public sealed class ReplRecycleTests
{
    [Fact]
    public async Task Past_the_step_threshold_the_process_is_replaced_and_variables_functions_and_types_carry_over()
    {
        await using var host = new ReplTestHost();
        var repl = await host.StartAsync(o => o.RecycleAfterSteps = 3);
        await repl.ExecuteAsync("record Item(string Name, int Count); int Total(IEnumerable<Item> items) => items.Sum(i => i.Count);");
        await repl.ExecuteAsync("var items = new List<Item> { new(\"a\", 2), new(\"b\", 3) }; var names = new Dictionary<string, int> { [\"x\"] = 1 }; var label = \"kept\";");
        await repl.ExecuteAsync("var lazy = items.Where(i => i.Count > 2); var pair = (a: 1, b: \"two\");");
        var firstPid = repl.HostPid;

        var after = await repl.ExecuteAsync("$\"{Total(items)} {names[\"x\"]} {label} {pair.Item2} {items[1].Name}\"");

        Assert.True(after.Outcome == ReplStepOutcome.Ok, after.Error + " / " + after.Notice);
        Assert.Equal(1, repl.Recycles);
        Assert.NotEqual(firstPid, repl.HostPid);
        Assert.Equal(ReplStepOutcome.Ok, after.Outcome);
        Assert.Equal("5 1 kept two b", after.Output.Trim());
        Assert.Contains("replaced after 3 steps", after.Notice, StringComparison.Ordinal);
        Assert.Contains("lazy", after.Notice, StringComparison.Ordinal);
    }
}
