using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Agents;

/// <summary>
/// The recursion depth of a tool call, carried in the request's <c>_meta</c> as <c>memfun/depth</c>: a host's
/// call is depth 0; a call an agent makes through the loopback is its caller's depth plus one.
/// </summary>
internal static class CallDepth
{
    public const string MetaKey = "memfun/depth";

    public static int Of(RequestContext<CallToolRequestParams> request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Params?.Meta?[MetaKey] is JsonValue v && v.TryGetValue<int>(out var depth) && depth >= 0 ? depth : 0;
    }

    public static JsonObject Meta(int depth) => new() { [MetaKey] = depth };
}
