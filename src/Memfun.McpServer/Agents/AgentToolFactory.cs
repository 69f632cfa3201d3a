using System.ComponentModel;
using Memfun.Engine.Agents;
using Memfun.McpServer.Mcp;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Agents;

/// <summary>
/// Makes one MCP tool per agent definition (<c>coder_agent</c>, <c>test_agent</c>, … and custom ones). The server's
/// lazy tool collection asks for them when it is built (first tools/list or tools/call, or the warm-up after the
/// first answer), so start-up reads no AGENT.md.
/// </summary>
internal sealed class AgentToolFactory(AgentCatalog catalog)
{
    /// <summary>One tool per agent of the catalog; a name an earlier tool already has keeps the earlier tool.</summary>
    public IEnumerable<McpServerTool> CreateTools() => catalog.Agents.Select(Create);

    private static McpServerTool Create(AgentDefinition agent)
    {
        var name = agent.Name;
        return McpServerTool.Create(
            async (
                [Description("Self-contained: the goal, files if known, how to check it is done.")] string task,
                RequestContext<CallToolRequestParams> request,
                IProgress<ProgressNotificationValue> progress,
                IServiceProvider services,
                [Description("Optional: findings, constraints, other agents' outputs.")] string? context = null,
                CancellationToken cancellationToken = default) =>
            {
                var service = (AgentService)services.GetService(typeof(AgentService))!;
                var report = await service.RunAgentAsync(name, task, context, request, progress, cancellationToken);
                return new CallToolResult
                {
                    // The agent ran: its verdict (and the quality pipeline's) is in the report, not a tool error.
                    IsError = false,
                    Content = [new TextContentBlock { Text = report.ToText() }],
                    StructuredContent = System.Text.Json.JsonSerializer.SerializeToElement(report, McpJsonUtilities.DefaultOptions),
                };
            },
            new McpServerToolCreateOptions
            {
                Name = agent.ToolName,
                Title = $"{Titled(agent.Name)} agent",
                // The tools each agent may use are in list_agents; every agent tool repeats this text in tools/list, so it stays short.
                Description =
                    $"{agent.Description.TrimEnd().TrimEnd('.')}. Specialist agent, at most {agent.MaxIterations} steps. " +
                    (agent.CodeProducing
                        ? "Changes files, then runs the workspace's checks (up to 2 fix cycles) and a review ('quality'). "
                        : "Changes no files. ") +
                    "Returns its answer and a verdict. Needs a model.",
                OutputSchema = ReportSchema.Value,
                UseStructuredContent = true,
                ReadOnly = !agent.CodeProducing,
                Destructive = agent.CodeProducing,
                Idempotent = false,
                OpenWorld = agent.Tools.Any(t => t.StartsWith("web_", StringComparison.Ordinal)),
                Metadata = [new ToolsetAttribute(Hosting.Toolsets.Agents), ReportShape],
            });
    }

    private static readonly Lazy<System.Text.Json.JsonElement> ReportSchema = new(() =>
        Microsoft.Extensions.AI.AIJsonUtilities.CreateJsonSchema(typeof(AgentRunReport), serializerOptions: McpJsonUtilities.DefaultOptions));

    /// <summary>One compact shape for every agent tool (each repeats it in tools/list): the report's main fields; the result still holds the whole report, as the text does.</summary>
    private static readonly OutputShapeAttribute ReportShape = new("agent", "verdict", "answer", "stopReason", "iterations", "totalTokens", "operations", "quality");

    private static string Titled(string name) => string.Join(' ', name.Split('_', '-').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
}
