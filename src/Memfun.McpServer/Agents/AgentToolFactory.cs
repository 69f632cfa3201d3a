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
                [Description("What the agent should do, self-contained: the goal, the files involved if known, and how to check it is done.")] string task,
                RequestContext<CallToolRequestParams> request,
                IProgress<ProgressNotificationValue> progress,
                IServiceProvider services,
                [Description("Optional extra context: earlier findings, constraints, outputs of other agents.")] string? context = null,
                CancellationToken cancellationToken = default) =>
            {
                var service = (AgentService)services.GetService(typeof(AgentService))!;
                var report = await service.RunAgentAsync(name, task, context, request, progress, cancellationToken);
                // The agent ran: its verdict (and the quality pipeline's) is in the report, not a tool error.
                return ToolResults.Structured(report.ToText(), report, isError: false);
            },
            new McpServerToolCreateOptions
            {
                Name = agent.ToolName,
                Title = $"{Titled(agent.Name)} agent",
                Description =
                    $"Runs the {agent.Name} specialist agent: {agent.Description} It works in a tool loop of at most {agent.MaxIterations} iterations " +
                    $"over these tools only: {string.Join(", ", agent.Tools)}. " +
                    (agent.CodeProducing
                        ? "It may change files in the workspace; after it changes files, the workspace's checks run (up to two fix cycles), the change is reviewed and polished, and the report's 'quality' says how that went. "
                        : "It does not change files. ") +
                    "Returns its answer, the operations it applied, iterations, tokens and a verdict. Needs a model (MCP sampling or a configured provider).",
                OutputSchema = ReportSchema.Value,
                UseStructuredContent = true,
                ReadOnly = !agent.CodeProducing,
                Destructive = agent.CodeProducing,
                Idempotent = false,
                OpenWorld = agent.Tools.Any(t => t.StartsWith("web_", StringComparison.Ordinal)),
            });
    }

    private static readonly Lazy<System.Text.Json.JsonElement> ReportSchema = new(() =>
        Microsoft.Extensions.AI.AIJsonUtilities.CreateJsonSchema(typeof(AgentRunReport), serializerOptions: ToolResults.Json));

    private static string Titled(string name) => string.Join(' ', name.Split('_', '-').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
}
