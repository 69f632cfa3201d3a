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
        var depth = CallDepth.Of(request);
        var cap = Math.Clamp(options.Value.MaxDepth, 1, 10);
        if (StartsAgents(name) && depth >= cap)
        {
            return Mcp.ToolErrorBoundary.Error(
                $"'{name}' was called at recursion depth {depth}, which reaches the cap of {cap} ([agents] max_depth). " +
                "Do this step yourself with the workspace tools instead of delegating it again.");
        }

        // Work started by this call (a workflow's queued tasks included) knows the depth it runs under.
        AgentCallDepth.Current = depth;
        return await next(request, cancellationToken);
    };
}
