using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Hosting;

/// <summary>
/// Adds <c>data.uri</c> to the "resource not found" error of a <c>resources/read</c> (SEP-2164: the
/// error SHOULD name the URI), whichever resource handler raised it, and gives a not-found that a handler of
/// ours raised the code of the request's protocol, as the SDK does for a URI no handler matches.
/// </summary>
/// <remarks>
/// ModelContextProtocol 2.4.0 picks the right code (-32602 on 2026-07-28, -32002 before) but sends no
/// data, and keeps the code a handler throws as it is. Our handlers throw <see cref="McpErrorCode.ResourceNotFound"/>
/// (a workflow, trace or skill file that does not exist); on a 2026-07-28 request it becomes -32602 here. An
/// incoming filter remembers each <c>resources/read</c> request's URI and protocol by session id and request id;
/// an outgoing filter mends a matching error. Entries are removed with the answer.
/// </remarks>
internal static class ResourceNotFoundDataFilter
{
    // Keyed by session (null over stdio and for stateless requests) and request id; the server object
    // seen by the incoming and the outgoing filter is not always the same instance.
    private const string July2026 = "2026-07-28";

    private static readonly ConcurrentDictionary<(string Session, RequestId Id), (string Uri, bool July)> Pending = new();

    public static McpMessageFilter Incoming => next => (context, cancellationToken) =>
    {
        if (context.JsonRpcMessage is JsonRpcRequest { Method: RequestMethods.ResourcesRead } request
            && request.Params?["uri"] is JsonValue uri && uri.TryGetValue<string>(out var text))
        {
            var version = request.Params?["_meta"]?["io.modelcontextprotocol/protocolVersion"] is JsonValue v && v.TryGetValue<string>(out var perRequest)
                ? perRequest
                : context.Server?.NegotiatedProtocolVersion;
            Pending[(context.Server?.SessionId ?? "", request.Id)] = (text, string.CompareOrdinal(version, July2026) >= 0);
        }

        return next(context, cancellationToken);
    };

    public static McpMessageFilter Outgoing => next => (context, cancellationToken) =>
    {
        if (context.JsonRpcMessage is JsonRpcMessageWithId { } answer and (JsonRpcResponse or JsonRpcError)
            && Pending.TryRemove((context.Server?.SessionId ?? "", answer.Id), out var read)
            && answer is JsonRpcError { Error: { } detail }
            && detail.Code is (int)McpErrorCode.ResourceNotFound or (int)McpErrorCode.InvalidParams)
        {
            if (read.July && detail.Code == (int)McpErrorCode.ResourceNotFound)
            {
                detail.Code = (int)McpErrorCode.InvalidParams;
            }

            detail.Data ??= new JsonObject { ["uri"] = read.Uri };
        }

        return next(context, cancellationToken);
    };
}
