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
                        : powers.ReadOnly ? "It does not change files. " : "Its tools can change files or run commands. ") +
                    (agent.Overrides is null ? string.Empty : $"Defined by {agent.SourcePath}, which overrides the definition of {agent.Overrides}. ") +
                    "Returns its answer, the operations it applied, iterations, tokens and a verdict. Needs a model (MCP sampling or a configured provider).",
                OutputSchema = ReportSchema.Value,
                UseStructuredContent = true,
                ReadOnly = powers.ReadOnly,
                Destructive = powers.Destructive,
                Idempotent = false,
                OpenWorld = powers.OpenWorld,
            });
    }

    private static readonly Lazy<System.Text.Json.JsonElement> ReportSchema = new(() =>
        Microsoft.Extensions.AI.AIJsonUtilities.CreateJsonSchema(typeof(AgentRunReport), serializerOptions: ToolResults.Json));

    private static string Titled(string name) => string.Join(' ', name.Split('_', '-').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
}
