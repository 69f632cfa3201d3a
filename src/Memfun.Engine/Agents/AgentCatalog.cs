using Memfun.Tools.Workspace;
using Microsoft.Extensions.Logging;

namespace Memfun.Engine.Agents;

/// <summary>
/// The specialist agents available in a workspace: the built-in <c>agents/</c> folder shipped beside the
/// binary, then (in a workspace the user trusts) the workspace's <c>agents/</c>, then <c>.memfun/agents/</c>;
/// a later definition wins by name, and says so (<see cref="AgentDefinition.Overrides"/>, a warning log).
/// </summary>
/// <remarks>
/// Thread-safe. Loaded lazily on first use and again on <see cref="Reload"/>. Invalid files are kept in
/// <see cref="Problems"/> (each naming file and field) and never stop the valid ones from loading.
/// </remarks>
public sealed partial class AgentCatalog
{
    private readonly string[] _folders;
    private readonly ILogger<AgentCatalog>? _logger;
    private readonly Lock _gate = new();
    private Snapshot? _snapshot;

    /// <summary>Creates the catalog over the standard folders of <paramref name="guard"/>'s workspace.</summary>
    /// <param name="guard">The workspace.</param>
    /// <param name="includeWorkspace">Whether the workspace's own agents are loaded: only when the user trusts the workspace.</param>
    /// <param name="logger">Receives invalid files and overrides.</param>
    public AgentCatalog(PathGuard guard, bool includeWorkspace, ILogger<AgentCatalog>? logger = null)
        : this(StandardFolders(guard.Root, includeWorkspace), logger)
    {
    }

    /// <summary>Creates the catalog over explicit folders, lowest precedence first.</summary>
    public AgentCatalog(IEnumerable<string> folders, ILogger<AgentCatalog>? logger = null)
    {
        _folders = [.. folders];
        _logger = logger;
    }

    /// <summary>The standard discovery folders, lowest precedence first: the built-in one, then the workspace's when <paramref name="includeWorkspace"/>.</summary>
    public static IReadOnlyList<string> StandardFolders(string workspaceRoot, bool includeWorkspace) => includeWorkspace
        ?
        [
            Path.Combine(AppContext.BaseDirectory, "agents"),
            Path.Combine(workspaceRoot, "agents"),
            Path.Combine(workspaceRoot, ".memfun", "agents"),
        ]
        : [Path.Combine(AppContext.BaseDirectory, "agents")];

    /// <summary>Every valid agent, by name.</summary>
    public IReadOnlyList<AgentDefinition> Agents => Current.Agents;

    /// <summary>Every invalid AGENT.md found, with the reason.</summary>
    public IReadOnlyList<AgentDefinitionException> Problems => Current.Problems;

    /// <summary>Finds an agent by name (case-insensitive); null when there is none.</summary>
    public AgentDefinition? Find(string name) =>
        Current.Agents.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Finds an agent or throws a tool error that lists the known ones.</summary>
    public AgentDefinition Get(string name) =>
        Find(name) ?? throw new AgentDefinitionException(
            $"There is no agent named '{name}'. Known agents: {string.Join(", ", Current.Agents.Select(a => a.Name))}.");

    /// <summary>Reads the folders again.</summary>
    public void Reload()
    {
        lock (_gate)
        {
            _snapshot = Load();
        }
    }

    private Snapshot Current
    {
        get
        {
            lock (_gate)
            {
                return _snapshot ??= Load();
            }
        }
    }

    private Snapshot Load()
    {
        var byName = new Dictionary<string, AgentDefinition>(StringComparer.OrdinalIgnoreCase);
        var problems = new List<AgentDefinitionException>();
        foreach (var folder in _folders)
        {
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var dir in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
            {
                var file = Path.Combine(dir, "AGENT.md");
                try
                {
                    // Inside the agents folder after every link, a regular file, at most 256 KB: a link to /dev/zero or out of the folder is refused.
                    string? content;
                    try
                    {
                        content = SafeFile.ReadOwnText(folder, file, 256 * 1024);
                    }
                    catch (SafeFileException ex)
                    {
                        throw new AgentDefinitionException(file, "body", ex.Error == SafeFileError.TooLarge ? "the file is larger than 256 KB." : ex.Message);
                    }

                    if (content is null)
                    {
                        continue;
                    }

                    var definition = AgentDefinitionParser.Parse(file, content);
                    if (byName.TryGetValue(definition.Name, out var earlier))
                    {
                        definition = definition with { Overrides = earlier.SourcePath };
                        if (_logger is not null)
                        {
                            LogOverride(_logger, definition.Name, file, earlier.SourcePath);
                        }
                    }

                    byName[definition.Name] = definition;
                }
                catch (AgentDefinitionException ex)
                {
                    problems.Add(ex);
                    if (_logger is not null)
                    {
                        LogInvalidAgent(_logger, ex.Message);
                    }
                }
                catch (IOException ex)
                {
                    problems.Add(new AgentDefinitionException(file, "file", $"cannot be read: {ex.Message}"));
                }
            }
        }

        // Delegates must name known agents: checked once everything is loaded.
        var agents = new List<AgentDefinition>();
        foreach (var agent in byName.Values.OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            var unknown = agent.Delegates.FirstOrDefault(d => !byName.ContainsKey(d));
            if (unknown is not null)
            {
                problems.Add(new AgentDefinitionException(agent.SourcePath, "delegates", $"'{unknown}' is not a known agent."));
                agents.Add(agent with { Delegates = [.. agent.Delegates.Where(byName.ContainsKey)] });
            }
            else
            {
                agents.Add(agent);
            }
        }

        return new Snapshot(agents, problems);
    }

    private sealed record Snapshot(IReadOnlyList<AgentDefinition> Agents, IReadOnlyList<AgentDefinitionException> Problems);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "The agent '{Name}' of {File} overrides the one of {Replaced}")]
    private static partial void LogOverride(ILogger logger, string name, string file, string replaced);

    [LoggerMessage(EventId = 2100, Level = LogLevel.Warning, Message = "Skipped an invalid agent definition: {Problem}")]
    private static partial void LogInvalidAgent(ILogger logger, string problem);
}
