using Memfun.Engine.Repl;
using Memfun.Engine.Rlm;
using Memfun.Engine.Rlm.Traces;
using Memfun.Tools;
using Memfun.Tools.Workspace;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Memfun.Engine.Tests.Repl;

/// <summary>A real workspace folder and REPL sessions over it (real `memfun repl-host` child processes).</summary>
public sealed class ReplTestHost : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _sessions = [];
    private readonly ServiceProvider _services;

    public ReplTestHost()
    {
        Workspace = Path.Combine(Path.GetTempPath(), "memfun-rlm-test-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Workspace);
        var services = new ServiceCollection();
        services.AddMemfunTools(o => o.Root = Workspace);
        services.AddMemfunRlm();
        _services = services.BuildServiceProvider();
        Guard = _services.GetRequiredService<PathGuard>();
        Tools = _services.GetRequiredService<IReplToolHost>();
    }

    public string Workspace { get; }

    internal PathGuard Guard { get; }

    internal IReplToolHost Tools { get; }

    public RlmTraceStore Traces { get; } = new();

    public string Write(string relative, string content)
    {
        var full = Path.Combine(Workspace, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    internal async Task<ReplSession> StartAsync(Action<ReplOptions>? configure = null, IChatClient? chat = null)
    {
        var options = new ReplOptions();
        configure?.Invoke(options);
        var trace = Traces.Create("repl", null);
        var session = new ReplSession(trace.Id, options, Tools, chat, trace, NullLogger.Instance);
        _sessions.Add(session);
        await session.StartAsync();
        return session;
    }

    /// <summary>A session registry over this workspace (disposed with the host).</summary>
    internal ReplSessionRegistry Registry(Action<ReplOptions>? configure = null)
    {
        var options = new ReplOptions();
        configure?.Invoke(options);
        var registry = new ReplSessionRegistry(Microsoft.Extensions.Options.Options.Create(options), Tools, Traces, NullLoggerFactory.Instance);
        _sessions.Add(registry);
        return registry;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in _sessions)
        {
            await s.DisposeAsync();
        }

        await _services.DisposeAsync();

        try
        {
            Directory.Delete(Workspace, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>One warmed REPL session shared by a test class (the first compile costs most of a second).</summary>
public sealed class WarmReplFixture : IAsyncLifetime
{
    public ReplTestHost Host { get; } = new();

    internal ReplSession Session { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("MEMFUN_TEST_SECRET", "do-not-leak");
        Host.Write("notes/a.txt", "alpha\nbeta\n");
        Session = await Host.StartAsync();
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
