namespace Memfun.McpServer.Evals;

/// <summary>A task starting or finishing, for the terminal's progress lines.</summary>
/// <param name="Type"><c>queued</c>, <c>started</c>, <c>finished</c>, or <c>waiting</c> (no worker yet; <paramref name="Where"/> says so).</param>
/// <param name="TaskId">The task.</param>
/// <param name="Where"><c>in-process</c> or the worker id, when known.</param>
/// <param name="Result">The result, for <c>finished</c>.</param>
internal sealed record EvalEvent(string Type, string TaskId, string? Where = null, EvalTaskResult? Result = null)
{
    /// <summary>One line: <c>[eval] done fix-add: RESOLVED via solver, 2 calls, 1200/300 tokens, 4.1 s</c>.</summary>
    public string ToLine() => Type switch
    {
        "finished" when Result is { } r => $"[eval] done {TaskId}: " +
            (r.Errored ? "ERROR " + FirstLine(r.Error!) : (r.Resolved ? "RESOLVED" : "not resolved") + (r.Rung is null ? string.Empty : " via " + r.Rung)) +
            $", {Memfun.Tools.Plural.Of(r.LlmCalls, "call")}, {Tokens(r.InputTokens)}/{Tokens(r.OutputTokens)} tokens, {r.WallSeconds:0.0} s" +
            (r.RanOn is { } on ? " on " + on : string.Empty),
        "queued" => $"[eval] queued {TaskId} as {Where}",
        "waiting" => $"[eval] {Where}",
        _ => $"[eval] start {TaskId}{(Where is null ? string.Empty : " on " + Where)}",
    };

    private static string Tokens(long? n) => n?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";

    private static string FirstLine(string s)
    {
        var line = s.Split('\n')[0];
        return line.Length <= 160 ? line : line[..157] + "...";
    }
}
