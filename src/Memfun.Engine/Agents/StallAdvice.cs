namespace Memfun.Engine.Agents;

/// <summary>What a loop tells its model to do when <see cref="StallDetector"/> warns, in that loop's terms.</summary>
/// <param name="Act">The remedy when nothing has been done by mid-budget (a sentence).</param>
/// <param name="Reuse">The remedy when one file is read again and again (a sentence).</param>
/// <param name="Finish">How to finish, completing "…: {Finish} soon." and "…: {Finish} now.".</param>
public sealed record StallAdvice(string Act, string Reuse, string Finish)
{
    /// <summary>For a specialist agent's tool loop.</summary>
    public static StallAdvice Specialist { get; } = new(
        "Stop exploring: make the change now, or answer with what blocks you.",
        "Use what you already read.",
        "complete the change and give your final answer");
}
