using Memfun.Engine.Agents;
using Memfun.Engine.Llm;
using Memfun.Engine.Orchestration;
using Memfun.McpServer.Agents;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Memfun.McpServer.Cli;

/// <summary>
/// What <c>memfun worker --coordinator URL</c> adds: the <c>agent_task</c> handler, running specialists with this
/// node's model ([llm] / MEMFUN_LLM__*) over the coordinator's workspace through its MCP tools.
/// </summary>
internal sealed class WorkerAgentTasks : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly CoordinatorToolHost _tools;

    private WorkerAgentTasks(ServiceProvider services, CoordinatorToolHost tools, AgentTaskHandler handler)
    {
        _services = services;
        _tools = tools;
        Handler = handler;
    }

    public AgentTaskHandler Handler { get; }

    /// <summary>The agent_task support, or null when no coordinator is configured.</summary>
    public static WorkerAgentTasks? Create(string root, IConfiguration config, string? coordinatorUrl, string? token)
    {
        if (string.IsNullOrWhiteSpace(coordinatorUrl))
        {
            return null;
        }

        if (!Uri.TryCreate(coordinatorUrl, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            throw new CliException($"--coordinator '{coordinatorUrl}' is not an http(s) URL: give the coordinator's MCP endpoint, e.g. http://host:8080/mcp.");
        }

        var services = new ServiceCollection().AddMemfunLlm(config.GetSection("llm")).BuildServiceProvider();
        Microsoft.Extensions.AI.IChatClient chat;
        try
        {
            chat = services.GetRequiredService<IChatClientFactory>().GetChatClient();
        }
        catch (LlmNotConfiguredException ex)
        {
            services.Dispose();
            throw new CliException("A worker serving agent_task needs its own model: " + ex.Message);
        }

        var tools = new CoordinatorToolHost(endpoint, token);
        var catalog = new AgentCatalog(AgentCatalog.StandardFolders(root, Configuration.WorkspaceTrust.IsTrusted(config)));
        return new WorkerAgentTasks(services, tools, new AgentTaskHandler(catalog, chat, tools));
    }

    public async ValueTask DisposeAsync()
    {
        await _tools.DisposeAsync();
        await _services.DisposeAsync();
    }
}
