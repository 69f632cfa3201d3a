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
/// <remarks>
/// Each agent tool's annotations are computed from what the agent can really do: the annotations of every tool its
/// AGENT.md lists and of every agent it delegates to. It is read-only only when all of those are; destructive when any
/// is, or when it produces code; open-world when any is. A listed tool the server does not have counts as the worst case.
/// </remarks>
internal sealed class AgentToolFactory(AgentCatalog catalog)
{
    /// <summary>One tool per agent of the catalog, annotated from <paramref name="known"/>, the server's other tools.</summary>
    public IEnumerable<McpServerTool> CreateTools(IReadOnlyList<McpServerTool> known)
    {
        var byName = known.GroupBy(t => t.ProtocolTool.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().ProtocolTool.Annotations, StringComparer.Ordinal);
        var agents = catalog.Agents;
        var powers = new Dictionary<string, Powers>(StringComparer.OrdinalIgnoreCase);
        return agents.Select(a => Create(a, PowersOf(a, agents, byName, powers, [])));
    }

    /// <summary>What an agent can do, in annotation terms.</summary>
    internal readonly record struct Powers(bool ReadOnly, bool Destructive, bool OpenWorld)
    {
        public static Powers None => new(true, false, false);

        public static Powers Worst => new(false, true, true);

        public Powers With(Powers other) => new(ReadOnly && other.ReadOnly, Destructive || other.Destructive, OpenWorld || other.OpenWorld);
    }

    private static Powers PowersOf(AgentDefinition agent, IReadOnlyList<AgentDefinition> agents, Dictionary<string, ToolAnnotations?> tools, Dictionary<string, Powers> done, HashSet<string> visiting)
    {
        if (done.TryGetValue(agent.Name, out var known))
        {
            return known;
        }

        var powers = agent.CodeProducing ? new Powers(false, true, false) : Powers.None;
        if (!visiting.Add(agent.Name))
        {
            return powers; // A delegation cycle: the agents on it are combined where the cycle started.
        }

        foreach (var tool in agent.Tools)
        {
            powers = powers.With(tools.TryGetValue(tool, out var a) && a is not null
                ? new Powers(a.ReadOnlyHint == true, a.DestructiveHint != false && a.ReadOnlyHint != true, a.OpenWorldHint != false)
                : Powers.Worst);
        }

        foreach (var name in agent.Delegates)
        {
            var other = agents.FirstOrDefault(x => string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase));
            powers = powers.With(other is null ? Powers.Worst : PowersOf(other, agents, tools, done, visiting));
        }

        visiting.Remove(agent.Name);
        done[agent.Name] = powers;
        return powers;
    }

    private static McpServerTool Create(AgentDefinition agent, Powers powers)
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
                // The agent ran: its verdict (and the quality pipeline's) is in the report, not a tool error.
                return ToolResults.Structured(report.ToText(), report, isError: false);
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
                        : powers.ReadOnly ? "Changes no files. " : "Its tools can change files or run commands. ") +
                    (agent.Overrides is null ? string.Empty : $"Defined by {agent.SourcePath}, which overrides {agent.Overrides}. ") +
                    "Returns its answer and a verdict. Needs a model.",
                OutputSchema = ReportSchema.Value,
                UseStructuredContent = true,
                ReadOnly = powers.ReadOnly,
                Destructive = powers.Destructive,
                Idempotent = false,
                OpenWorld = powers.OpenWorld,
                Metadata = [new ToolsetAttribute(Hosting.Toolsets.Agents), ReportShape],
            });
    }

    private static readonly Lazy<System.Text.Json.JsonElement> ReportSchema = new(() =>
        Microsoft.Extensions.AI.AIJsonUtilities.CreateJsonSchema(typeof(AgentRunReport), serializerOptions: ToolResults.Json));

    /// <summary>One compact shape for every agent tool (each repeats it in tools/list): the report's main fields; the result still holds the whole report, as the text does.</summary>
    private static readonly OutputShapeAttribute ReportShape = new("agent", "verdict", "answer", "stopReason", "iterations", "totalTokens", "operations", "quality");

    private static string Titled(string name) => string.Join(' ', name.Split('_', '-').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
}
