using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Hosting;

/// <summary>
/// Makes <c>server/discover</c> list every protocol version this server speaks, the
/// <c>initialize</c>-handshake ones included, so that it agrees with the <c>supported</c> list of the
/// SDK's <c>UnsupportedProtocolVersionError</c> (-32022).
/// </summary>
/// <remarks>
/// ModelContextProtocol 2.4.0 answers <c>server/discover</c> with the per-request versions only
/// (<c>2026-07-28</c>) but lists all five in its -32022 errors; the conformance check
/// <c>sep-2575-server-unsupported-version-error</c> requires the error's list to be a subset of the
/// discover list. Both are true of this server (older versions through <c>initialize</c>), so the
/// discover list is widened. An outgoing message filter on results shaped like a DiscoverResult; a
/// no-op once the SDK agrees with itself.
/// </remarks>
internal static class DiscoverVersionsFilter
{
    /// <summary>Every version the SDK accepts, oldest first (the list in its -32022 errors).</summary>
    public static readonly string[] AllVersions = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28"];

    public static McpMessageFilter Filter => next => (context, cancellationToken) =>
    {
        if (context.JsonRpcMessage is JsonRpcResponse { Result: JsonObject result }
            && result["supportedVersions"] is JsonArray versions
            && result.ContainsKey("capabilities"))
        {
            var present = versions.Select(v => v?.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            foreach (var v in AllVersions)
            {
                if (!present.Contains(v))
                {
                    versions.Add(v);
                }
            }
        }

        return next(context, cancellationToken);
    };
}
