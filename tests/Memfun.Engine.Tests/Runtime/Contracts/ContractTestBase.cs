using Memfun.Engine.Runtime;
using Memfun.Engine.Runtime.Abstractions;

namespace Memfun.Engine.Tests.Runtime.Contracts;

/// <summary>Shared plumbing of the contract suites: a backend per test (disposed after), a timeout token, helpers.</summary>
public abstract class ContractTestBase : IAsyncLifetime
{
    private readonly List<RuntimeBackend> _opened = [];
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));

    private protected ContractTestBase(TierHarness harness) => Harness = harness;

    private protected TierHarness Harness { get; }

    /// <summary>This test's scope.</summary>
    protected string Scope { get; } = TierHarness.NewScope();

    /// <summary>Cancels a test that hangs instead of failing.</summary>
    protected CancellationToken Ct => _timeout.Token;

    private protected async Task<RuntimeBackend> OpenAsync(TaskQueueOptions? tasks = null)
    {
        var backend = await Harness.OpenAsync(Scope, tasks);
        _opened.Add(backend);
        return backend;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var b in _opened.Distinct())
        {
            await b.DisposeAsync();
        }

        _timeout.Dispose();
    }

    protected static ReadOnlyMemory<byte> Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    /// <summary>Reads <paramref name="count"/> items from a subscription (fails on the test timeout).</summary>
    protected async Task<List<T>> TakeAsync<T>(IRuntimeSubscription<T> sub, int count)
    {
        var items = new List<T>();
        if (count == 0)
        {
            return items;
        }

        await foreach (var item in sub.ReadAllAsync(Ct))
        {
            items.Add(item);
            if (items.Count == count)
            {
                break;
            }
        }

        return items;
    }

    /// <summary>Reads whatever arrives within <paramref name="quiet"/> of the last item.</summary>
    protected internal static async Task<List<T>> DrainAsync<T>(IRuntimeSubscription<T> sub, TimeSpan quiet)
    {
        var items = new List<T>();
        using var cts = new CancellationTokenSource(quiet);
        try
        {
            await foreach (var item in sub.ReadAllAsync(cts.Token))
            {
                items.Add(item);
                cts.CancelAfter(quiet);
            }
        }
        catch (OperationCanceledException)
        {
            // Quiet long enough.
        }

        return items;
    }
}
