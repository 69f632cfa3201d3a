using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Memfun.Engine.Repl.Protocol;

/// <summary>
/// One line of the REPL host protocol: a JSON object per line on the child's stdin (parent to child)
/// and stdout (child to parent). Requests carry an <see cref="Id"/> that the answer repeats.
/// </summary>
/// <remarks>
/// Parent to child: <c>exec</c> (Code), <c>vars</c>, <c>snapshot</c>, <c>restore</c> (Snapshot), <c>result</c>
/// (the answer to a <c>call</c>: Ok, Value or Error). Child to parent: <c>ready</c> (Pid), <c>done</c>,
/// <c>vars</c>, <c>snapshot</c>, <c>restored</c>, <c>call</c> (Tool, Args). Strings are JSON-escaped, so a
/// line never breaks inside a message whatever the script prints.
/// </remarks>
internal sealed class ReplMessage
{
    public string Type { get; set; } = "";

    public long Id { get; set; }

    public string? Code { get; set; }

    public string? Tool { get; set; }

    public JsonObject? Args { get; set; }

    public JsonNode? Value { get; set; }

    public bool Ok { get; set; }

    public string? Error { get; set; }

    public string? ErrorType { get; set; }

    public string? Output { get; set; }

    public long OutputCut { get; set; }

    public string? Final { get; set; }

    public string? Definitions { get; set; }

    public string? Members { get; set; }

    public List<ReplVariable>? Vars { get; set; }

    public List<ReplSnapshotEntry>? Snapshot { get; set; }

    public List<string>? Problems { get; set; }

    public List<string>? Names { get; set; }

    public long HeapBytes { get; set; }

    public int Submissions { get; set; }

    public int Pid { get; set; }

    /// <summary>On <c>done</c>: milliseconds the host spent compiling and running the submission.</summary>
    public double ScriptMs { get; set; }

    /// <summary>On <c>done</c>: milliseconds from the host reading the request to sending the answer.</summary>
    public double HostMs { get; set; }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    };

    public string ToLine() => JsonSerializer.Serialize(this, Json);

    public static ReplMessage Parse(string line) =>
        JsonSerializer.Deserialize<ReplMessage>(line, Json) ?? throw new JsonException("Empty REPL protocol message.");
}
