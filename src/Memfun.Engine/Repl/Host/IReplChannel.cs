using System.Text.Json.Nodes;

namespace Memfun.Engine.Repl.Host;

/// <summary>The REPL host's line to its parent: a script's tool call goes up and waits for the answer.</summary>
internal interface IReplChannel
{
    /// <summary>Calls <paramref name="tool"/> in the parent and blocks until it answers.</summary>
    /// <exception cref="ReplToolException">The tool refused or failed; the message says why.</exception>
    JsonNode? Call(string tool, JsonObject arguments);
}
