using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Hosting;

/// <summary>
/// Adds <c>data.uri</c> to the "resource not found" error of a <c>resources/read</c> (SEP-2164: the
/// error SHOULD name the URI), whichever resource handler raised it.
/// </summary>
/// <remarks>
/// ModelContextProtocol 2.4.0 picks the right code (-32602 on 2026-07-28, -32002 before) but sends no
/// data. An incoming filter remembers each <c>resources/read</c> request's URI by session id and request id; an
/// outgoing filter fills the data of a matching error that has none. Entries are removed with the answer.
/// </remarks>
internal static class ResourceNotFoundDataFilter
{
    // Keyed by session (null over stdio and for stateless requests) and request id; the server object
    // seen by the incoming and the outgoing filter is not always the same instance.
    private static readonly ConcurrentDictionary<(string Session, RequestId Id), string> Pending = new();

    public static McpMessageFilter Incoming => next => (context, cancellationToken) =>
    {
        if (context.JsonRpcMessage is JsonRpcRequest { Method: RequestMethods.ResourcesRead } request
            && request.Params?["uri"] is JsonValue uri && uri.TryGetValue<string>(out var text))
        {
            Pending[(context.Server?.SessionId ?? "", request.Id)] = text;
        }

        return next(context, cancellationToken);
    };

    public static McpMessageFilter Outgoing => next => (context, cancellationToken) =>
    {
        if (context.JsonRpcMessage is JsonRpcMessageWithId { } answer and (JsonRpcResponse or JsonRpcError)
            && Pending.TryRemove((context.Server?.SessionId ?? "", answer.Id), out var uri)
            && answer is JsonRpcError { Error: { Data: null } detail }
            && detail.Code is (int)McpErrorCode.ResourceNotFound or (int)McpErrorCode.InvalidParams)
        {
            detail.Data = new JsonObject { ["uri"] = uri };
        }

        return next(context, cancellationToken);
    };
}
