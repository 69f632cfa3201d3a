namespace Memfun.McpServer.Tests.Agents;

/// <summary>Workflows that survive their coordinator on the default tier: SQLite under the workspace.</summary>
public sealed class DurableWorkflowOnSqliteTests : DurableWorkflowScenarios
{
    protected override Dictionary<string, string?> Backend(string prefix) => new() { ["MEMFUN_BACKEND__TIER"] = "sqlite" };

    [Fact]
    public Task An_uninterrupted_run_ends_in_the_state_the_resumed_runs_are_checked_against() => RunUninterruptedAsync();
}
