using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Dashboard;

/// <summary>
/// Feeds the dashboard from the MCP surface: every tool call becomes a request that starts, reports its
/// progress notifications, and completes or fails with its elapsed time and tokens; every workflow event
/// goes through as it is recorded.
/// </summary>
internal sealed class DashboardEventSource(DashboardService dashboard)
{
    private readonly ConcurrentDictionary<string, (string Id, string Tool)> _requestByProgressToken = new(StringComparer.Ordinal);

    public McpRequestFilter<CallToolRequestParams, CallToolResult> CallToolFilter() => next => async (request, cancellationToken) =>
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var tool = request.Params?.Name ?? "?";
        var token = request.Params?.ProgressToken?.ToString();
        if (token is not null)
        {
            _requestByProgressToken[token] = (id, tool);
        }

        dashboard.Publish(new DashboardEvent { Type = "request.started", RequestId = id, Tool = tool, Summary = Summarize(request.Params?.Arguments) });
        var watch = Stopwatch.StartNew();
        try
        {
            var result = await next(request, cancellationToken);
            dashboard.Publish(new DashboardEvent
            {
                Type = result.IsError == true ? "request.failed" : "request.completed",
                RequestId = id,
                Tool = tool,
                ElapsedMs = watch.Elapsed.TotalMilliseconds,
                Tokens = TokensOf(result.StructuredContent),
                Outcome = result.IsError == true ? null : OutcomeOf(result.StructuredContent),
                Detail = result.IsError == true ? Truncate(string.Join(" ", result.Content.OfType<TextContentBlock>().Select(b => b.Text)), 300) : null,
            });
            if (tool is "remember" or "forget" && result.IsError != true)
            {
                _ = Task.Run(() => dashboard.RefreshMemoryAsync(CancellationToken.None), CancellationToken.None);
            }

            return result;
        }
        catch (Exception ex)
        {
            dashboard.Publish(new DashboardEvent { Type = "request.failed", RequestId = id, Tool = tool, ElapsedMs = watch.Elapsed.TotalMilliseconds, Detail = ex is OperationCanceledException ? "cancelled" : Truncate(ex.Message, 300) });
            throw;
        }
        finally
        {
            if (token is not null)
            {
                _requestByProgressToken.TryRemove(token, out _);
            }
        }
    };

    /// <summary>Outgoing progress notifications become request progress on the page.</summary>
    public McpMessageFilter ProgressFilter() => next => async (context, cancellationToken) =>
    {
        if (context.JsonRpcMessage is JsonRpcNotification { Method: NotificationMethods.ProgressNotification, Params: { } p } &&
            p["progressToken"]?.ToString() is { } token && _requestByProgressToken.TryGetValue(token, out var request))
        {
            // The tool rides along so a progress line in the event list says whose progress it is.
            dashboard.Publish(new DashboardEvent { Type = "request.progress", RequestId = request.Id, Tool = request.Tool, Detail = Truncate(p["message"]?.ToString() ?? $"step {p["progress"]}", 200) });
        }

        await next(context, cancellationToken);
    };

    private static string Summarize(IDictionary<string, JsonElement>? arguments)
    {
        if (arguments is null || arguments.Count == 0)
        {
            return string.Empty;
        }

        var first = arguments.FirstOrDefault(a => a.Key is "task" or "question" or "path" or "command" or "query" or "pattern" or "problem" or "url");
        var pick = first.Key is null ? arguments.First() : first;
        return Truncate($"{pick.Key}: {(pick.Value.ValueKind == JsonValueKind.String ? pick.Value.GetString() : pick.Value.GetRawText())}", 160);
    }

    /// <summary><c>no change</c> for an agent whose verdict says so or a solve that changed nothing; null otherwise.</summary>
    private static string? OutcomeOf(JsonElement? structured)
    {
        if (structured is not { ValueKind: JsonValueKind.Object } s)
        {
            return null;
        }

        var verdict = s.TryGetProperty("verdict", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var status = s.TryGetProperty("status", out var st) && st.ValueKind == JsonValueKind.String ? st.GetString() : null;
        return verdict == Engine.Agents.SpecialistResult.NoChange || status == nameof(Engine.Solving.SolveStatus.NoChanges) ? Engine.Agents.SpecialistResult.NoChange : null;
    }

    private static long? TokensOf(JsonElement? structured)
    {
        if (structured is not { ValueKind: JsonValueKind.Object } s)
        {
            return null;
        }

        foreach (var name in (string[])["totalTokens", "total_tokens", "tokens"])
        {
            // Zero is what a run reports when the count is unknown (sampling through the host reports no usage).
            if (s.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n))
            {
                return n > 0 ? n : null;
            }
        }

        return null;
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : string.Concat(s.AsSpan(0, max - 1), "…");
}
