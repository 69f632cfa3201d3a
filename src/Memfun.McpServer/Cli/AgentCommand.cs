using System.CommandLine;
using System.Text.Json;
using Memfun.Engine.Agents;

namespace Memfun.McpServer.Cli;

/// <summary><c>memfun agent list</c>: the specialist agents of the workspace.</summary>
internal static class AgentCommand
{
    public static Command Create()
    {
        var workspace = CommonOptions.Workspace();
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var list = new Command("list", "List the specialist agents (built-in, agents/ and .memfun/agents/) and any invalid AGENT.md.") { workspace, json };
        list.SetAction(parse =>
        {
            var root = CommonOptions.ResolveWorkspace(parse.GetValue(workspace));
            var catalog = Catalog(root);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    agents = catalog.Agents.Select(a => new { a.Name, tool = a.ToolName, a.Description, max_iterations = a.MaxIterations, a.Tools, a.Delegates, code_producing = a.CodeProducing, source = a.SourcePath, overrides = a.Overrides }),
                    problems = catalog.Problems.Select(p => p.Message),
                }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
            }
            else
            {
                foreach (var a in catalog.Agents)
                {
                    Console.Out.WriteLine(ChatTables.AgentRow(a.Name, a.MaxIterations, a.CodeProducing, a.Description) +
                        (a.Overrides is null ? string.Empty : $"  [overrides {a.Overrides} with {a.SourcePath}]"));
                }

                foreach (var a in catalog.Agents.Where(a => a.Overrides is not null))
                {
                    Console.Error.WriteLine($"warning: the agent '{a.Name}' of {a.SourcePath} overrides the one of {a.Overrides}");
                }

                foreach (var p in catalog.Problems)
                {
                    Console.Error.WriteLine($"invalid: {p.Message}");
                }
            }

            return catalog.Problems.Count > 0 ? 1 : 0;
        });

        return new Command("agent", "Work with the specialist agents.") { list, Run() };
    }

    /// <summary><c>memfun agent run &lt;name&gt; &lt;task&gt;</c>: runs one specialist (its <c>&lt;name&gt;_agent</c> tool). Exit 0 when its verdict is ok, 1 otherwise, 2 usage, 3 no model.</summary>
    private static Command Run()
    {
        var name = new Argument<string>("name") { Description = "The agent's name, such as coder or reviewer (see 'memfun agent list')." };
        var task = new Argument<string>("task") { Description = "What the agent should do, self-contained." };
        var context = new Option<string?>("--context") { Description = "Extra context for the agent: earlier findings, constraints." };
        var json = new Option<bool>("--json") { Description = "Print the agent's structured report as JSON." };
        var workspace = CommonOptions.Workspace();
        var command = new Command("run", "Run one specialist agent on a task with the configured model; prints its answer and operations.") { name, task, context, json, workspace };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var root = CommonOptions.ResolveWorkspace(parse.GetValue(workspace));
            var agentName = parse.GetValue(name) ?? string.Empty;
            var catalog = Catalog(root);
            var agent = catalog.Agents.FirstOrDefault(a => string.Equals(a.Name, agentName, StringComparison.OrdinalIgnoreCase))
                ?? throw new CliException($"No agent named '{agentName}'. Known agents: {string.Join(", ", catalog.Agents.Select(a => a.Name))}.");
            var arguments = new Dictionary<string, object?> { ["task"] = parse.GetValue(task) ?? string.Empty, ["context"] = parse.GetValue(context) };

            return await ToolCommandRunner.RunAsync(root, agent.ToolName, arguments, parse.GetValue(json), needsModel: true,
                s => s is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty("verdict", out var v) && v.GetString() == "ok" ? 0 : 1,
                cancellationToken);
        });
        return command;
    }

    /// <summary>The workspace's agents: the built-in ones, and its own when the user trusts it.</summary>
    private static AgentCatalog Catalog(string root) =>
        new(AgentCatalog.StandardFolders(root, Configuration.WorkspaceTrust.IsTrusted(CommonOptions.LoadConfiguration(root))));
}
