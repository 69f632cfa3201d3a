using Microsoft.Extensions.Hosting;

namespace Memfun.Engine.Repl;

/// <summary>Stops every REPL process when the server stops, so no repl-host outlives it.</summary>
internal sealed class ReplShutdown(ReplSessionRegistry registry) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken) => await registry.DisposeAsync().ConfigureAwait(false);
}
