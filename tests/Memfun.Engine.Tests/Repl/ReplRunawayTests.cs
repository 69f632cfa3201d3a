using Memfun.Engine.Repl;

namespace Memfun.Engine.Tests.Repl;

/// <summary>Runaway code is stopped within its limits; the session recovers and other sessions never notice.</summary>
public sealed class ReplRunawayTests(WarmReplFixture neighbour) : IClassFixture<WarmReplFixture>
{
    [Fact]
    public async Task An_endless_loop_is_stopped_at_the_time_limit_and_the_next_step_runs_in_a_fresh_process_with_earlier_definitions()
    {
        await using var host = new ReplTestHost();
        var repl = await host.StartAsync(o => o.StepTimeLimit = TimeSpan.FromSeconds(2));
        await repl.ExecuteAsync("int Square(int n) => n * n; class Box { public int V; } var lost = 1;");
        var firstPid = repl.HostPid;

        var loop = await repl.ExecuteAsync("while (true) { }");
        var after = await repl.ExecuteAsync("Square(new Box { V = 5 }.V)");

        Assert.Equal(ReplStepOutcome.Timeout, loop.Outcome);
        Assert.Contains("longer than 2 s", loop.Error, StringComparison.Ordinal);
        Assert.Contains("lost", loop.Error, StringComparison.Ordinal);
        Assert.Equal(ReplStepOutcome.Ok, after.Outcome);
        Assert.Equal("25", after.Output.Trim());
        Assert.Contains("new REPL process", after.Notice, StringComparison.Ordinal);
        Assert.NotEqual(firstPid, repl.HostPid);
        Assert.False(ProcessExists(firstPid));
        await NeighbourStillWorks();
    }

    [Fact]
    public async Task An_allocation_bomb_is_stopped_at_the_memory_limit()
    {
        await using var host = new ReplTestHost();
        var repl = await host.StartAsync(o => o.MemoryLimitBytes = 400L << 20);

        var bomb = await repl.ExecuteAsync("var hoard = new List<byte[]>(); while (true) { var b = new byte[1 << 20]; Array.Fill(b, (byte)1); hoard.Add(b); }");
        var after = await repl.ExecuteAsync("1 + 1");

        Assert.Equal(ReplStepOutcome.OutOfMemory, bomb.Outcome);
        Assert.Contains("memory limit", bomb.Error, StringComparison.Ordinal);
        Assert.Equal("2", after.Output.Trim());
        await NeighbourStillWorks();
    }

    [Fact]
    public async Task A_stack_overflow_crashes_only_its_own_process_and_is_reported_as_such()
    {
        await using var host = new ReplTestHost();
        var repl = await host.StartAsync();

        var crash = await repl.ExecuteAsync("int Down(int n) => Down(n + 1) + 1; Down(0)");
        var after = await repl.ExecuteAsync("\"alive\"");

        Assert.Equal(ReplStepOutcome.Crashed, crash.Outcome);
        Assert.Contains("stack overflow", crash.Error, StringComparison.Ordinal);
        Assert.Equal("alive", after.Output.Trim());
        await NeighbourStillWorks();
    }

    [Fact]
    public async Task Cancelling_a_step_kills_it()
    {
        await using var host = new ReplTestHost();
        var repl = await host.StartAsync();
        using var cts = new CancellationTokenSource();

        var running = repl.ExecuteAsync("Thread.Sleep(Timeout.Infinite);", cts.Token);
        await Task.Delay(300);
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Equal("ok", (await repl.ExecuteAsync("\"ok\"")).Output.Trim());
    }

    private async Task NeighbourStillWorks()
    {
        var r = await neighbour.Session.ExecuteAsync("\"neighbour\"");
        Assert.Equal("neighbour", r.Output.Trim());
    }

    private static bool ProcessExists(int pid) => Directory.Exists($"/proc/{pid}");
}
