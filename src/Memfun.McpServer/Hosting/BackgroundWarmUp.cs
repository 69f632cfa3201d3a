using Microsoft.Extensions.Hosting;

namespace Memfun.McpServer.Hosting;

/// <summary>Runs one piece of start-up work on the thread pool once hosted services start, off the request path.</summary>
/// <remarks>
/// Over stdio, hosted services start only after the session's first answer (see <see cref="StdioServer"/>), so
/// work registered here (building the tools, reading the skill folders) never delays <c>initialize</c>. The work
/// must be idempotent and also happen on demand: a failure here is ignored and simply happens again, with its
/// error reported, on the request that needs the result.
/// </remarks>
internal sealed class BackgroundWarmUp(string name, Action work) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(() =>
        {
            try
            {
                work();
                StartupTrace.Mark($"warm-up done: {name}");
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                StartupTrace.Mark($"warm-up failed: {name}: {ex.Message}");
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
