namespace Memfun.McpServer.Evals;

/// <summary>How one test ended after the agent's change.</summary>
/// <param name="Id">The test id (or <c>check.sh</c>, or <c>test_command</c> when the task lists none).</param>
/// <param name="Set"><c>FAIL_TO_PASS</c> or <c>PASS_TO_PASS</c>.</param>
/// <param name="Passed">Exit code 0 within the time limit.</param>
/// <param name="ExitCode">The command's exit code (-1 when killed at the limit).</param>
/// <param name="TimedOut">Killed at the task's <c>timeout_seconds</c>.</param>
/// <param name="Output">The tail of its output (for failures).</param>
internal sealed record EvalTestOutcome(string Id, string Set, bool Passed, int ExitCode, bool TimedOut, string? Output);
