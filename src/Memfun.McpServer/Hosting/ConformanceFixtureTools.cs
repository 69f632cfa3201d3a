using System.ComponentModel;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

// Roots, sampling and logging are deprecated by the 2026-07-28 revision (SEP-2577, MCP9005), yet every
// host of the 2025-11-25 era uses them: serving them is the point here.
#pragma warning disable MCP9005

namespace Memfun.McpServer.Hosting;

/// <summary>
/// The diagnostic tools the MCP conformance suite's <c>server-stateless</c> scenario calls to exercise
/// protocol rules (SEP-2575): served only with the hidden <c>--conformance-fixtures</c> flag, never to a host.
/// </summary>
/// <remarks>
/// Each one goes through the real server path: a capability check that raises the SDK's
/// <see cref="MissingRequiredClientCapabilityException"/>, an elicitation, a log line through the
/// client logger. Deliberately not an <c>[McpServerToolType]</c>: assembly discovery must not find them.
/// </remarks>
internal static class ConformanceFixtureTools
{
    public static IEnumerable<McpServerTool> Create() =>
    [
        McpServerTool.Create(MissingCapability, new() { Name = "test_missing_capability", Title = "Conformance: missing capability" }),
        McpServerTool.Create(StreamingElicitation, new() { Name = "test_streaming_elicitation", Title = "Conformance: elicitation" }),
        McpServerTool.Create(Logging, new() { Name = "test_logging_tool", Title = "Conformance: logging" }),
    ];

    [Description("Conformance fixture: needs the client's sampling capability and refuses with -32021 when it was not declared.")]
    private static string MissingCapability(ModelContextProtocol.Server.McpServer server)
    {
        if (server.ClientCapabilities?.Sampling is null)
        {
            throw new MissingRequiredClientCapabilityException(
                new ClientCapabilities { Sampling = new SamplingCapability() },
                "This tool needs the client's sampling capability, which the request did not declare.");
        }

        return "The client declared sampling.";
    }

    [Description("Conformance fixture: asks the user a question through elicitation when the client supports it.")]
    private static async Task<string> StreamingElicitation(ModelContextProtocol.Server.McpServer server, CancellationToken cancellationToken)
    {
        if (server.ClientCapabilities?.Elicitation is null)
        {
            return "The client cannot elicit.";
        }

        var answer = await server.ElicitAsync(
            new ElicitRequestParams
            {
                Message = "Conformance fixture: confirm to continue.",
                RequestedSchema = new ElicitRequestParams.RequestSchema(),
            },
            cancellationToken);
        return $"Elicitation answered: {answer.Action}.";
    }

    [Description("Conformance fixture: writes one log line through the client logger; the protocol decides whether it is sent.")]
    private static string Logging(ModelContextProtocol.Server.McpServer server)
    {
#pragma warning disable CA1848, CA2254 // A fixture: one fixed line, no hot path.
        server.AsClientLoggerProvider().CreateLogger("conformance").LogInformation("Conformance fixture log line.");
#pragma warning restore CA1848, CA2254
        return "Logged one line.";
    }
}
