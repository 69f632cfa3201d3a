using Memfun.McpServer.Cli;
using Memfun.McpServer.Configuration;
using Memfun.McpServer.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using ModelContextProtocol.Client;

namespace Memfun.McpServer.Evals;

/// <summary>
/// The memfun server an eval agent asks about one task: composed in this process over the task's workspace, its model
/// calls counted into the task's <see cref="EvalUsage"/>, and stopped when the agent's time is up.
/// </summary>
/// <remarks>
/// The workspace is the harness's own temp copy, so it is trusted (the checks run); the dashboard is off and the runtime
/// is in-process, so a task touches nothing outside its copy but the model.
/// </remarks>
internal static class EvalTaskServer
{
    /// <summary>The configuration every task server gets on top of the workspace's own and the agent's settings.</summary>
    private static readonly Dictionary<string, string?> TaskSettings = new()
    {
        [WorkspaceTrust.Key] = "true",
        ["dashboard:enabled"] = "false",
        ["backend:tier"] = "in-process",
    };

    /// <summary>
    /// Starts a server over <paramref name="workspace"/> (with <paramref name="settings"/> over the workspace's configuration
    /// and <paramref name="model"/>, when given, instead of the configured provider) and lets <paramref name="ask"/> put the
    /// task to its client; running out of <paramref name="timeout"/>, or any failure, is the outcome's error.
    /// </summary>
    public static async Task<EvalAgentOutcome> AskAsync(
        string workspace,
        IReadOnlyDictionary<string, string?> settings,
        IChatClient? model,
        EvalUsage usage,
        TimeSpan timeout,
        Func<McpClient, CancellationToken, Task<EvalAgentOutcome>> ask,
        CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder()
            .AddConfiguration(MemfunConfiguration.Build(workspace))
            .AddInMemoryCollection(settings)
            .AddInMemoryCollection(TaskSettings)
            .Build();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await using var server = await InProcessServer.StartAsync(
                new ServerSettings { Workspace = workspace, Configuration = configuration },
                services => CountingChatClientFactory.Replace(services, model, usage),
                limit.Token);
            return await ask(server.Client, limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new EvalAgentOutcome(null, null, string.Empty, $"The agent did not finish within {timeout.TotalSeconds:0} s.", []);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new EvalAgentOutcome(null, null, string.Empty, $"{ex.GetType().Name}: {ex.Message}", []);
        }
    }
}
