using System.Reflection;
using Memfun.McpServer.Mcp;
using Microsoft.Extensions.Configuration;

namespace Memfun.McpServer.Hosting;

/// <summary>
/// The groups of tools a host can choose from (<c>memfun serve --toolsets files,search,git</c>, or <c>[mcp] toolsets</c>
/// in the configuration), so that a host's model pays only for the tools it wants in its context. A toolset's
/// resources and prompts follow it. Agents inside the server always reach every tool (the loopback server is not
/// filtered), so a specialist or the solver works whatever the host was given.
/// </summary>
internal sealed class Toolsets
{
    /// <summary>Workspace files: read_file, write_file, edit_file.</summary>
    public const string Files = "files";

    /// <summary>Finding things: list_files, search, code_map and the code-map resource.</summary>
    public const string Search = "search";

    /// <summary>Shell and git: run_cmd and git_*.</summary>
    public const string Git = "git";

    /// <summary>Memory: remember, recall, forget, memory_list and MEMORY.md.</summary>
    public const string Memory = "memory";

    /// <summary>Skills: run_skill, a prompt per skill, skill:// resources and the skills extension.</summary>
    public const string Skills = "skills";

    /// <summary>Web: web_fetch, web_search.</summary>
    public const string Web = "web";

    /// <summary>RLM: rlm_run, repl_* and the trace resources.</summary>
    public const string Rlm = "rlm";

    /// <summary>The coding agent: solve, fix, ask, analyze, review.</summary>
    public const string Solver = "solver";

    /// <summary>Specialists (*_agent), list_agents, orchestrate, workflow_status, workflow_control and the workflow resource.</summary>
    public const string Agents = "agents";

    /// <summary>Every toolset, in the order the documentation lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Files, Search, Git, Memory, Skills, Web, Rlm, Solver, Agents];

    private readonly HashSet<string> _enabled;

    private Toolsets(IEnumerable<string> enabled) => _enabled = new(enabled, StringComparer.Ordinal);

    /// <summary>Every toolset (the default).</summary>
    public static Toolsets Everything { get; } = new(All);

    /// <summary>The toolsets served, in <see cref="All"/>'s order.</summary>
    public IEnumerable<string> Enabled => All.Where(_enabled.Contains);

    /// <summary>Whether every toolset is served.</summary>
    public bool IsEverything => _enabled.Count == All.Count;

    /// <summary>Whether <paramref name="toolset"/> is served; a class or tool outside any toolset (null) always is.</summary>
    public bool Serves(string? toolset) => toolset is null || _enabled.Contains(toolset);

    /// <summary>Whether the MCP primitives of <paramref name="type"/> are served (by its <see cref="ToolsetAttribute"/>).</summary>
    public bool Serves(Type type) => Serves(type.GetCustomAttribute<ToolsetAttribute>()?.Name);

    /// <summary>
    /// Parses a comma- or space-separated list of toolset names (<c>all</c> for every one); null or empty is every
    /// toolset. An unknown name is an error naming the valid ones.
    /// </summary>
    /// <exception cref="ArgumentException">A name is not a toolset, or the list names none.</exception>
    public static Toolsets Parse(string? list)
    {
        if (string.IsNullOrWhiteSpace(list))
        {
            return Everything;
        }

        var names = list.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.ToLowerInvariant())
            .ToList();
        var unknown = names.Where(n => n != "all" && !All.Contains(n)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"Unknown toolset{(unknown.Count == 1 ? "" : "s")} '{string.Join("', '", unknown)}'. Valid toolsets: {string.Join(", ", All)} (or 'all').");
        }

        return names.Contains("all") ? Everything : new Toolsets(names);
    }

    /// <summary>The toolsets of the configuration's <c>[mcp] toolsets</c> (a string or an array; <c>MEMFUN_MCP__TOOLSETS</c>).</summary>
    public static string? FromConfiguration(IConfiguration? configuration)
    {
        var section = configuration?.GetSection("mcp:toolsets");
        if (section is null)
        {
            return null;
        }

        var items = section.GetChildren().Select(c => c.Value).Where(v => !string.IsNullOrWhiteSpace(v)).ToList();
        return items.Count > 0 ? string.Join(',', items) : section.Value;
    }

    /// <inheritdoc />
    public override string ToString() => IsEverything ? "all" : string.Join(",", Enabled);
}
