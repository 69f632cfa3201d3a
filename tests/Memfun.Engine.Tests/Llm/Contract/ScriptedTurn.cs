namespace Memfun.Engine.Tests.Llm.Contract;

/// <summary>How a scripted model turn ends.</summary>
public enum TurnEnd
{
    /// <summary>The model finished its answer.</summary>
    Done,

    /// <summary>The model stopped to call tools.</summary>
    ToolUse,

    /// <summary>The answer was cut off at the output limit.</summary>
    MaxTokens,

    /// <summary>The model refused.</summary>
    Refusal,
}

/// <summary>One model turn a contract test scripts, rendered by each provider in its own wire format.</summary>
/// <param name="Text">The answer's text, or null.</param>
/// <param name="Calls">Tool calls: id, tool, arguments.</param>
/// <param name="End">How the turn ends.</param>
public sealed record ScriptedTurn(string? Text, IReadOnlyList<(string Id, string Name, object Arguments)> Calls, TurnEnd End)
{
    /// <summary>A finished text answer.</summary>
    public static ScriptedTurn Answer(string text) => new(text, [], TurnEnd.Done);

    /// <summary>A turn that calls tools.</summary>
    public static ScriptedTurn ToolUse(params (string Id, string Name, object Arguments)[] calls) => new(null, calls, TurnEnd.ToolUse);
}

/// <summary>What one request carried, read from the provider's wire format.</summary>
/// <param name="Tools">The names of the tools declared.</param>
/// <param name="ToolResults">Tool results sent back: the call's id and the result's text.</param>
/// <param name="EchoedCallIds">The ids of the tool calls the assistant turns in the history carry.</param>
public sealed record SentRequest(IReadOnlyList<string> Tools, IReadOnlyList<(string CallId, string Text)> ToolResults, IReadOnlyList<string> EchoedCallIds);
