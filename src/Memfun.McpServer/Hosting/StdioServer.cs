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
/// <see cref="StdioTransport"/>, because start-up is what a host waits on. Hosted services that
/// other areas register are still started, but only once the first answer (normally to <c>initialize</c>)
/// has been written, so nothing they build competes with it; they are stopped at exit. Run with
/// <c>MEMFUN_TRACE_STARTUP=1</c> to see where start-up time goes (<see cref="StartupTrace"/>).</para>
/// <para>Stdout belongs to the protocol: <see cref="Console.Out"/> is pointed at stderr before anything
/// else runs, so a stray <c>Console.WriteLine</c> cannot corrupt the stream.</para>
/// <para>On exit (stdin closed and drained, or a signal) every child process is killed.</para>
/// </remarks>
internal static partial class StdioServer
{
    /// <summary>How long each shutdown step may take before the next one goes ahead regardless.</summary>
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(ServerSettings settings, CancellationToken cancellationToken)
    {
        var stdout = Console.OpenStandardOutput();
        var stdin = Console.OpenStandardInput();
        Console.SetOut(Console.Error);

        StartupTrace.Mark("stdio server");
        var services = new ServiceCollection();
        services.AddMemfunServer(settings).WithMemfunTransportFeatures(settings);
        services.AddSingleton<ITransport>(sp => new StdioTransport(stdin, stdout, settings.DrainTimeout, loggerFactory: sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<McpServerOptions>>().Value;
            StartupTrace.Mark("server options built");
            return ModelContextProtocol.Server.McpServer.Create(sp.GetRequiredService<ITransport>(), options, sp.GetRequiredService<ILoggerFactory>(), sp);
        });

        StartupTrace.Mark("services registered");
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = false });
        try
        {
            StartupTrace.Mark("provider built");
            var server = provider.GetRequiredService<ModelContextProtocol.Server.McpServer>();
            var transport = (StdioTransport)provider.GetRequiredService<ITransport>();
            StartupTrace.Mark("server created");
            var run = server.RunAsync(cancellationToken);
            // One line for a person who started the server in a terminal (a host logs it); stdout stays the protocol's.
            await Console.Error.WriteLineAsync($"memfun {ServerComposition.Version}: serving {settings.Workspace} over stdio (MCP); toolsets: {settings.Toolsets}");
            // Hosted services (dashboard, REPL shutdown, warm-ups) are not needed for the first answer, and on two
            // cores they would compete with it: they start once it is out.
            var hosted = new List<IHostedService>();
            using var hostedStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var hostedStart = StartHostedServicesAsync(provider, transport, hosted, hostedStop.Token);
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
                await hostedStop.CancelAsync();
                await Task.WhenAny(hostedStart, Task.Delay(ShutdownGrace, CancellationToken.None));
                if (hostedStart is { IsFaulted: true, Exception: { } failed })
                {
                    LogHostedStartFailed(provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StdioServer)), failed.InnerException ?? failed);
                }

                using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                IHostedService[] toStop;
                lock (hosted)
                {
                    toStop = [.. hosted];
                }

                foreach (var service in Enumerable.Reverse(toStop))
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

    /// <summary>Starts the hosted services once the first answer is out (or never, if the session ends first), recording each started one.</summary>
    private static async Task StartHostedServicesAsync(IServiceProvider provider, StdioTransport transport, List<IHostedService> started, CancellationToken cancellationToken)
    {
        await Task.WhenAny(transport.FirstMessageSent, transport.Completion).WaitAsync(cancellationToken);
        if (!transport.FirstMessageSent.IsCompleted)
        {
            return;
        }

        foreach (var service in provider.GetServices<IHostedService>())
        {
            cancellationToken.ThrowIfCancellationRequested();
            await service.StartAsync(cancellationToken);
            lock (started)
            {
                started.Add(service);
            }
        }

        StartupTrace.Mark("hosted services started");
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A background service failed to start")]
    private static partial void LogHostedStartFailed(ILogger logger, Exception exception);
}
