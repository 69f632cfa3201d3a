using System.ComponentModel;
using System.Text.Json;
using Memfun.Engine.Rlm.Traces;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Mcp;

/// <summary>The traces of REPL sessions and rlm_runs as MCP resources.</summary>
[McpServerResourceType]
[Toolset(Hosting.Toolsets.Rlm)]
internal sealed class RlmTraceResources
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    [McpServerResource(UriTemplate = "memfun://rlm/traces/{id}", Name = "rlm_trace", Title = "RLM / REPL trace", MimeType = "application/json")]
    [Description("Every step of one REPL session or rlm_run: the code, how it ended, a summary of its output, tokens and time.")]
    public static string Trace(ModelContextProtocol.Server.McpServer server, RlmTraceStore store, [Description("The trace id (the REPL session id, or the id in rlm_run's trace address).")] string id)
    {
        var trace = store.Find(id) is { } found && Readable(found, SessionKey.Owner(server))
            ? found
            : throw new McpProtocolException(
                $"There is no trace '{id}'. Traces live in memory for the most recent 200 sessions and runs of this server; memfun://rlm/traces lists them.",
                McpErrorCode.ResourceNotFound);
        return JsonSerializer.Serialize(new
        {
            trace.Id,
            trace.Kind,
            trace.Task,
            trace.Started,
            trace.Sandbox,
            trace.Finish,
            trace.Answer,
            trace.Tokens,
            trace.Steps,
        }, Json);
    }

    [McpServerResource(UriTemplate = "memfun://rlm/traces", Name = "rlm_traces", Title = "RLM / REPL traces", MimeType = "application/json")]
    [Description("The recent REPL sessions and rlm_runs: id, kind, task, steps and how each ended.")]
    public static string Traces(ModelContextProtocol.Server.McpServer server, RlmTraceStore store) => JsonSerializer.Serialize(
        store.All().Where(t => Listed(t, SessionKey.Owner(server))).Select(t => new { t.Id, t.Uri, t.Kind, t.Task, t.Started, Steps = t.StepCount, t.Finish }), Json);

    /// <summary>A trace is read by the client that made it (in stateless HTTP: by whoever holds its unguessable id) or, for the server's own runs, by anyone.</summary>
    private static bool Readable(RlmTrace trace, string caller) => trace.Owner is null || trace.Owner == caller;

    /// <summary>Lists show a client its own traces and the server's own runs; stateless clients are shown none of theirs (an id is their key).</summary>
    private static bool Listed(RlmTrace trace, string caller) => trace.Owner is null || (trace.Owner == caller && caller != SessionKey.Stateless);
}
