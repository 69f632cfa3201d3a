using Memfun.Engine.Llm;
using Microsoft.Extensions.AI;

namespace Memfun.McpServer.Evals;

/// <summary>
/// The task server's <see cref="IChatClientFactory"/>: the configured one (or a model given by the caller, for scripted
/// runs), each client it hands out counted into the task's <see cref="EvalUsage"/>.
/// </summary>
internal sealed class CountingChatClientFactory(IChatClientFactory? configured, IChatClient? model, EvalUsage usage) : IChatClientFactory, IDisposable
{
    public IChatClient GetChatClient(ModelContextProtocol.Server.McpServer? requestServer = null) =>
        new CountingChatClient(model ?? configured?.GetChatClient(requestServer) ?? throw new LlmNotConfiguredException(), usage);

    public void Dispose() => (configured as IDisposable)?.Dispose();
}
