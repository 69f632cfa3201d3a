using Memfun.Tools;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Mcp;

/// <summary>
/// Turns the typed errors of the Tools and Engine layers into MCP tool errors whose text is the
/// message itself (what was wrong, what to do), not the SDK's bare "An error occurred invoking".
/// Before the tool runs, the names of its arguments are checked against its input schema, the same way for
/// every tool: a missing required argument or one the tool does not know is refused, naming the valid ones.
/// </summary>
internal sealed class ToolErrorBoundary(McpServerTool inner) : DelegatingMcpServerTool(inner)
{
    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        if (ArgumentProblems.BeforeCall(ProtocolTool.InputSchema, request.Params?.Arguments) is { } problem)
        {
            return Error($"Invalid arguments for '{request.Params?.Name}': {problem}");
        }

        try
        {
            return await base.InvokeAsync(request, cancellationToken);
        }
        catch (MemfunToolException ex)
        {
            return Error(ex.Message);
        }
        catch (McpException ex) when (ex is not McpProtocolException)
        {
            return Error(ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Error($"'{request.Params?.Name}' timed out before it finished. Try a smaller request or a longer timeout.");
        }
        catch (Exception ex) when (ex is ArgumentException or System.Text.Json.JsonException)
        {
            return Error($"Invalid arguments for '{request.Params?.Name}': {ArgumentProblems.Explain(ex.Message, ProtocolTool.InputSchema, request.Params?.Arguments)}");
        }
    }

    internal static CallToolResult Error(string message) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = message }],
    };
}
