using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Hosting;

/// <summary>Runs the MCP server over stdin/stdout until the host closes stdin or the process is told to stop.</summary>
/// <remarks>
/// <para>No generic Host: a plain service provider and one <see cref="McpServer"/> over a
/// <see cref="DrainingStreamTransport"/>, because start-up is what a host waits on. Hosted services that
/// other areas register are still started (after the session is up) and stopped at exit.</para>
/// <para>Stdout belongs to the protocol: <see cref="Console.Out"/> is pointed at stderr before anything
/// else runs, so a stray <c>Console.WriteLine</c> cannot corrupt the stream.</para>
/// <para>On exit (stdin closed and drained, or a signal) every child process is killed.</para>
/// </remarks>
internal static class StdioServer
{
    /// <summary>How long each shutdown step may take before the next one goes ahead regardless.</summary>
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(ServerSettings settings, CancellationToken cancellationToken)
    {
        var stdout = Console.OpenStandardOutput();
        var stdin = Console.OpenStandardInput();
        Console.SetOut(Console.Error);

        var services = new ServiceCollection();
        services.AddMemfunServer(settings).WithMemfunTransportFeatures(settings);
        services.AddSingleton<ITransport>(sp => new DrainingStreamTransport(stdin, stdout, settings.DrainTimeout, loggerFactory: sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => ModelContextProtocol.Server.McpServer.Create(
            sp.GetRequiredService<ITransport>(),
            sp.GetRequiredService<IOptions<McpServerOptions>>().Value,
            sp.GetRequiredService<ILoggerFactory>(),
            sp));

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = false });
        try
        {
            var server = provider.GetRequiredService<ModelContextProtocol.Server.McpServer>();
            var transport = (DrainingStreamTransport)provider.GetRequiredService<ITransport>();
            var run = server.RunAsync(cancellationToken);
            var hosted = await StartHostedServicesAsync(provider, cancellationToken);
            try
            {
                // The transport ends after draining; a handler still waiting (say, on a client that is gone)
                // gets a moment to see the cancellation, then the session is disposed under it.
                await Task.WhenAny(run, transport.Completion);
                if (await Task.WhenAny(run, Task.Delay(ShutdownGrace, CancellationToken.None)) != run)
                {
                    await Task.WhenAny(server.DisposeAsync().AsTask(), Task.Delay(ShutdownGrace, CancellationToken.None));
                }
                else
                {
                    await run;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            finally
            {
                // Past this point the session is over: whatever still hangs must not keep the process alive.
                StartExitWatchdog();
                using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                foreach (var service in Enumerable.Reverse(hosted))
                {
                    try
                    {
                        await Task.WhenAny(service.StopAsync(stopping.Token), Task.Delay(ShutdownGrace * 2, CancellationToken.None));
                    }
                    catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
                    {
                    }
                }
            }

            return 0;
        }
        finally
        {
            ChildProcessReaper.KillChildren();
            await Task.WhenAny(provider.DisposeAsync().AsTask(), Task.Delay(ShutdownGrace, CancellationToken.None));
            ChildProcessReaper.KillChildren();
        }
    }

    /// <summary>Ends the process if the orderly shutdown has not finished within a few seconds.</summary>
    private static void StartExitWatchdog()
    {
        var watchdog = new Thread(() =>
        {
            Thread.Sleep(ShutdownGrace * 8);
            ChildProcessReaper.KillChildren();
            Environment.Exit(0);
        })
        {
            IsBackground = true,
            Name = "memfun exit watchdog",
        };
        watchdog.Start();
    }

    private static async Task<List<IHostedService>> StartHostedServicesAsync(IServiceProvider provider, CancellationToken cancellationToken)
    {
        var started = new List<IHostedService>();
        foreach (var service in provider.GetServices<IHostedService>())
        {
            await service.StartAsync(cancellationToken);
            started.Add(service);
        }

        return started;
    }
}
