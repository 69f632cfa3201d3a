using Memfun.Engine.Llm;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Memfun.McpServer.Evals;

/// <summary>
/// The task server's <see cref="IChatClientFactory"/>: the configured one (or a model given by the caller, for scripted
/// runs), each client it hands out counted into the task's <see cref="EvalUsage"/>.
/// </summary>
internal sealed class CountingChatClientFactory(IChatClientFactory? configured, IChatClient? model, EvalUsage usage) : IChatClientFactory, IDisposable
{
    public IChatClient GetChatClient(ModelContextProtocol.Server.McpServer? requestServer = null) =>
        new CountingChatClient(model ?? configured?.GetChatClient(requestServer) ?? throw new LlmNotConfiguredException(), usage);

    /// <summary>Replaces the server's chat client factory in <paramref name="services"/> with one that counts every call (and uses <paramref name="model"/> when given).</summary>
    public static void Replace(IServiceCollection services, IChatClient? model, EvalUsage usage)
    {
        var configured = services.LastOrDefault(d => d.ServiceType == typeof(IChatClientFactory));
        services.AddSingleton<IChatClientFactory>(sp => new CountingChatClientFactory(
            configured is null ? null : (IChatClientFactory)(configured.ImplementationInstance
                ?? configured.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, configured.ImplementationType!)),
            model,
            usage));
    }

    public void Dispose() => (configured as IDisposable)?.Dispose();
}
