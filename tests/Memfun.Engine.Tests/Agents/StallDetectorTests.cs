using Memfun.Engine.Agents;

namespace Memfun.Engine.Tests.Agents;

/// <summary>The one stall detector, as the specialists' tool loop and the RLM loop both use it.</summary>
public sealed class StallDetectorTests
{
    [Fact]
    public void Stall_warnings_come_once_each_no_action_by_mid_budget_a_file_read_three_times_few_left_and_the_last()
    {
        var stall = new StallDetector(10, StallAdvice.Specialist);
        Assert.Empty(stall.Check(1));
        Assert.Contains(stall.Check(5), w => w.Contains("nothing has been done", StringComparison.Ordinal));
        Assert.DoesNotContain(stall.Check(6), w => w.Contains("nothing has been done", StringComparison.Ordinal));

        stall.RecordToolCall("read_file", "x.cs");
        stall.RecordToolCall("read_file", "x.cs");
        Assert.DoesNotContain(stall.Check(6), w => w.Contains("x.cs", StringComparison.Ordinal));
        stall.RecordToolCall("read_file", "x.cs");
        Assert.Contains(stall.Check(6), w => w.Contains("'x.cs' 3 times", StringComparison.Ordinal));

        Assert.Contains(stall.Check(7), w => w.Contains("Only 3 iterations are left of 10", StringComparison.Ordinal));
        Assert.Empty(stall.Check(8));
        Assert.Contains(stall.Check(9), w => w.Contains("last iteration", StringComparison.Ordinal));
    }

    [Fact]
    public void Reading_is_not_doing_but_a_change_or_a_step_that_ran_is()
    {
        var reading = new StallDetector(4, StallAdvice.Specialist);
        reading.RecordToolCall("read_file", "a.cs");
        Assert.Contains(reading.Check(2), w => w.Contains("nothing has been done", StringComparison.Ordinal));

        var editing = new StallDetector(4, StallAdvice.Specialist);
        editing.RecordToolCall("edit_file", "a.cs");
        Assert.DoesNotContain(editing.Check(2), w => w.Contains("nothing has been done", StringComparison.Ordinal));

        var running = new StallDetector(4, StallAdvice.Specialist);
        running.RecordAction();
        Assert.DoesNotContain(running.Check(2), w => w.Contains("nothing has been done", StringComparison.Ordinal));

        var answering = new StallDetector(4, StallAdvice.Specialist, expectsAction: false);
        Assert.DoesNotContain(answering.Check(2), w => w.Contains("nothing has been done", StringComparison.Ordinal));
    }
}
