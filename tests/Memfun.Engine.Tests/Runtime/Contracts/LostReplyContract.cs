using Memfun.Engine.Runtime;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Runtime.Contracts;

/// <summary>The lost-reply faults every server tier must survive (see <see cref="LostReplyScenario"/>): each tier gives
/// a proxy in front of its server and two ways to open a backend on one scope.</summary>
public abstract class LostReplyContract : IAsyncDisposable
{
    private protected LostReplyContract(int serverPort) => Proxy = new ReplyHoldingProxy(serverPort);

    private protected ReplyHoldingProxy Proxy { get; }

    /// <summary>This test's scope.</summary>
    protected string Scope { get; } = TierHarness.NewScope();

    /// <summary>Opens a backend on <see cref="Scope"/> through the proxy (task visibility timeout 3 s).</summary>
    private protected abstract Task<RuntimeBackend> ThroughProxyAsync();

    /// <summary>Opens a backend on <see cref="Scope"/> straight to the server.</summary>
    private protected abstract Task<RuntimeBackend> DirectAsync();

    [Fact]
    public async Task A_compare_and_set_whose_reply_is_lost_reports_its_own_write() =>
        await LostReplyScenario.CompareAndSetAsync(Proxy, ThroughProxyAsync);

    [Fact]
    public async Task A_result_write_whose_reply_is_lost_is_recorded_and_announced_exactly_once() =>
        await LostReplyScenario.WorkerResultAsync(Proxy, ThroughProxyAsync, DirectAsync);

    [Fact]
    public async Task A_completed_event_whose_publish_reply_is_lost_is_stored_once() =>
        await LostReplyScenario.WorkerResultAsync(Proxy, ThroughProxyAsync, DirectAsync, loseTheEvent: true);

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
