using Memfun.Engine.Agents;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Agents;

/// <summary>
/// The one place the recursion cap is enforced: a call to a tool that starts agents (the orchestrator, a
/// specialist, the solver, the RLM loop) whose depth has reached the cap is refused with a tool error.
/// </summary>
internal static class RecursionGuard
{
    private static readonly HashSet<string> Recursive = new(StringComparer.Ordinal)
    {
        "orchestrate", "solve", "fix", "ask", "analyze", "review", "rlm_run", "run_skill",
    };

    public static bool StartsAgents(string tool) => Recursive.Contains(tool) || tool.EndsWith("_agent", StringComparison.Ordinal);

    public static McpRequestFilter<CallToolRequestParams, CallToolResult> Filter(IOptions<AgentOptions> options) => next => async (request, cancellationToken) =>
    {
        var name = request.Params?.Name ?? string.Empty;
        var depth = CallDepth.FromMeta(request.Params?.Meta);
        if (StartsAgents(name) && CallDepth.Refusal(name, depth, CallDepth.Cap(options.Value.MaxDepth), "[agents] max_depth") is { } refusal)
        {
            return Mcp.ToolErrorBoundary.Error(refusal);
        }

        // Work started by this call (a workflow's queued tasks included) knows the depth it runs under.
        CallDepth.Current = depth;
        return await next(request, cancellationToken);
    };
}
