using System.Reflection;
using Memfun.Engine.Solving;
using Memfun.McpServer.Configuration;
using Memfun.Engine.Repl;
using Memfun.Engine.Rlm;
using Memfun.McpServer.Agents;
using Memfun.McpServer.Dashboard;
using Memfun.Engine.Runtime;
using Memfun.McpServer.Mcp;
using Memfun.McpServer.Mcp.Skills;
using Memfun.Tools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Hosting;

/// <summary>The one place that composes services and the MCP surface, shared by stdio, HTTP and tests.</summary>
internal static class ServerComposition
{
    public const string ServerName = "memfun";

    public static string Version { get; } =
        typeof(ServerComposition).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0]
        ?? "0.0.0";

    /// <summary>Registers every Memfun service and the MCP server with its tools, prompts and resources.</summary>
    public static IMcpServerBuilder AddMemfunServer(this IServiceCollection services, ServerSettings settings)
    {
        services.AddLogging(logging =>
        {
            logging.ClearProviders();
            // Over stdio, stdout belongs to the protocol: every log line goes to stderr.
            logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            logging.SetMinimumLevel(settings.LogLevel);
            if (settings.LogLevel >= LogLevel.Warning)
            {
                // The SDK warns, with a stack trace, for every request whose handler ended in an exception — a
                // cancelled request included (Ctrl+C in the chat printed two). The client receives that outcome
                // itself, so at the default level only the SDK's errors are written; --log-level Information or
                // lower shows everything.
                logging.AddFilter("ModelContextProtocol.Server.McpServer", LogLevel.Error);
            }
        });

        // One layered configuration (memfun.toml, ~/.memfun, MEMFUN_*) for every area.
        var configuration = settings.Configuration ?? MemfunConfiguration.Build(settings.Workspace);
        settings = settings with { Configuration = configuration };
        services.AddSingleton(settings);
        StartupTrace.Mark("compose: start");
        services.AddMemfunTools(o => o.Root = settings.Workspace);
        services.AddMemfunMemoryAndWeb(settings);
        services.AddMemfunSolver(configuration);

        services.AddMemfunRuntime(configuration.GetSection("backend"), settings.Workspace);
        services.AddMemfunRlmServer(configuration.GetSection("rlm"));

        var mcp = services.AddMcpServer(options =>
        {
            options.ServerInfo = new Implementation { Name = ServerName, Title = "Memfun", Version = Version };
            options.ServerInstructions =
                "Memfun serves code tools confined to one workspace: read_file, write_file, edit_file, list_files, search, " +
                "code_map, run_cmd and git_*. Paths are relative to the workspace root. Prefer edit_file over write_file for " +
                "changes to existing files; call code_map first to find your way around a project.";
        });

        // A toolset's resources and prompts follow it; its tools are filtered per session (ToolsetFilters), since the
        // agents' loopback server shares the tool collection and needs every tool.
        var assembly = typeof(ServerComposition).Assembly;
        mcp.WithPromptsFromAssembly(assembly)
           .WithResources(assembly.GetTypes().Where(t => t.GetCustomAttribute<McpServerResourceTypeAttribute>() is not null && settings.Toolsets.Serves(t)))
           .WithMemfunAgents(configuration)
           .WithMemfunDashboard(configuration)
           .WithToolsets(settings.Toolsets);
        mcp.WithMemfunSkills(includeWorkspace: WorkspaceTrust.IsTrusted(configuration), serveSurface: settings.Toolsets.Serves(Toolsets.Skills));

        // Tools are built on first use (tools/list, tools/call) or by the warm-up after the first answer, not at
        // start-up; every tool is wrapped so typed errors reach the model as their own message.
        services.AddOptions<McpServerOptions>().PostConfigure<IServiceProvider>((options, sp) =>
        {
            var registered = options.ToolCollection?.ToArray() ?? [];
            options.ToolCollection = new LazyToolCollection(() =>
            {
                // Agent tools come last: their annotations are computed from the tools each AGENT.md lists.
                var own = AssemblyToolFactory.Create(typeof(ServerComposition).Assembly, sp).Select(ToolSchemaCompaction.Compact).Concat(registered).ToList();
                return own
                    .Concat(sp.GetService<Agents.AgentToolFactory>()?.CreateTools(own).Select(ToolSchemaCompaction.Compact) ?? [])
                    .Select(tool => tool as ToolErrorBoundary ?? new ToolErrorBoundary(tool));
            });
        });
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostedService>(sp => new BackgroundWarmUp("tools", () =>
            (sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<McpServerOptions>>().Value.ToolCollection as LazyToolCollection)?.Materialize()));

        StartupTrace.Mark("compose: done");
        return mcp;
    }
}
