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
            var catalog = new AgentCatalog(AgentCatalog.StandardFolders(root));
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    agents = catalog.Agents.Select(a => new { a.Name, tool = a.ToolName, a.Description, max_iterations = a.MaxIterations, a.Tools, a.Delegates, code_producing = a.CodeProducing, source = a.SourcePath }),
                    problems = catalog.Problems.Select(p => p.Message),
                }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
            }
            else
            {
                foreach (var a in catalog.Agents)
                {
                    Console.Out.WriteLine($"{a.Name,-12} {a.MaxIterations,3} iter  {(a.CodeProducing ? "writes" : "reads "),-6}  {a.Description}");
                }

                foreach (var p in catalog.Problems)
                {
                    Console.Error.WriteLine($"invalid: {p.Message}");
                }
            }

            return catalog.Problems.Count > 0 ? 1 : 0;
        });

        return new Command("agent", "Work with the specialist agents.") { list };
    }
}
