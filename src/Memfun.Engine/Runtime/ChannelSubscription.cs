using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Memfun.Engine.Runtime.Abstractions;

namespace Memfun.Engine.Runtime;

/// <summary>A subscription fed through a bounded channel by a tier's pump; disposing stops the pump.</summary>
internal sealed class ChannelSubscription<T> : IRuntimeSubscription<T>
{
    private readonly Channel<T> _channel;
    private readonly CancellationTokenSource _stop = new();
    private Func<ValueTask>? _onDispose;
    private Task _pump = Task.CompletedTask;
    private int _disposed;
    private int _backlog;

    public ChannelSubscription(int capacity, bool singleWriter = true)
    {
        _channel = capacity <= 0
            ? Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = singleWriter })
            : Channel.CreateBounded<T>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = singleWriter, FullMode = BoundedChannelFullMode.Wait });
    }

    public ChannelWriter<T> Writer => _channel.Writer;

    /// <summary>Items written with <see cref="TryWriteCounted"/> and not yet read.</summary>
    public int Backlog => Volatile.Read(ref _backlog);

    /// <summary>Writes an item and counts it in <see cref="Backlog"/>.</summary>
    public bool TryWriteCounted(T item)
    {
        Interlocked.Increment(ref _backlog);
        if (_channel.Writer.TryWrite(item))
        {
            return true;
        }

        Interlocked.Decrement(ref _backlog);
        return false;
    }

    /// <summary>Fires when the subscription is disposed.</summary>
    public CancellationToken Stopping => _stop.Token;

    /// <summary>Runs <paramref name="pump"/> until disposal; its failure ends the reader with that error.</summary>
    public void Start(Func<CancellationToken, Task> pump, Func<ValueTask>? onDispose = null)
    {
        _onDispose = onDispose;
        _pump = Task.Run(async () =>
        {
            try
            {
                await pump(_stop.Token).ConfigureAwait(false);
                _channel.Writer.TryComplete();
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                _channel.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                _channel.Writer.TryComplete(ex);
            }
        });
    }

    public void OnDispose(Func<ValueTask> onDispose) => _onDispose = onDispose;

    public async IAsyncEnumerable<T> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                Interlocked.Decrement(ref _backlog);
                yield return item;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _channel.Writer.TryComplete();
        try
        {
            await _pump.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping is the point.
        }

        if (_onDispose is { } onDispose)
        {
            await onDispose().ConfigureAwait(false);
        }

        _stop.Dispose();
    }
}
