using System.Globalization;
using System.Text;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Memfun.Engine.Runtime.Nats;

/// <summary>Pulls messages from one durable pull consumer on demand, through one inbox subscription kept for the
/// consumer's life: a fetch is one no-wait pull request and its replies, with no subscribe/unsubscribe per fetch.</summary>
/// <remarks>
/// <para>Nothing is prefetched: a fetch asks the server for at most the number of messages the caller will lease, so
/// other workers get the rest and no message waits in this process with its ack-wait running.</para>
/// <para>Fetches on one puller are serialized (replies on a shared inbox are matched to the one request in flight).
/// A reply that comes after its fetch gave up (server away) is kept and handed to the next fetch.</para>
/// <para>A status reply other than "no messages" (the consumer is gone, JetStream not ready) marks the puller
/// <see cref="Broken"/>; the queue then re-creates the consumer and a new puller.</para>
/// </remarks>
internal sealed class NatsPuller : IAsyncDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(2);

    private readonly INatsJSContext _js;
    private readonly INatsSub<byte[]> _sub;
    private readonly string _requestSubject;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private NatsPuller(INatsJSContext js, INatsSub<byte[]> sub, string requestSubject)
    {
        _js = js;
        _sub = sub;
        _requestSubject = requestSubject;
    }

    /// <summary>Whether the server answered with an error status; a broken puller fetches nothing.</summary>
    public bool Broken { get; private set; }

    public static async Task<NatsPuller> StartAsync(INatsJSContext js, string stream, string consumer, CancellationToken cancellationToken)
    {
        var connection = js.Connection;
        // Not under the connection's own inbox prefix: the client routes those subjects through its request-reply
        // muxer, and a plain subscription there starves JetStream API replies.
        var inbox = "_INBOX.memfun." + Guid.NewGuid().ToString("N");
        var sub = await connection.SubscribeCoreAsync<byte[]>(inbox, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new NatsPuller(js, sub, $"$JS.API.CONSUMER.MSG.NEXT.{stream}.{consumer}");
    }

    /// <summary>Takes up to <paramref name="max"/> messages that are ready now (an empty list when none are); each one's reply
    /// subject is its <c>$JS.ACK</c> subject (see <see cref="NatsDelivery"/>).</summary>
    public async Task<List<NatsMsg<byte[]>>> FetchAsync(int max, CancellationToken cancellationToken)
    {
        var got = new List<NatsMsg<byte[]>>();
        if (Broken)
        {
            return got;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Late replies to an earlier fetch first: they are delivered to us already.
            while (got.Count < max && _sub.Msgs.TryRead(out var stray))
            {
                if (IsMessage(stray))
                {
                    got.Add(stray);
                }
            }

            var want = max - got.Count;
            if (want == 0)
            {
                return got;
            }

            var request = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"batch\":{want},\"no_wait\":true}}"));
            await _js.Connection.PublishAsync(_requestSubject, request, replyTo: _sub.Subject, cancellationToken: cancellationToken).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ReplyTimeout);
            try
            {
                for (var received = 0; received < want;)
                {
                    var msg = await _sub.Msgs.ReadAsync(timeout.Token).ConfigureAwait(false);
                    if (IsMessage(msg))
                    {
                        got.Add(msg);
                        received++;
                        continue;
                    }

                    // A status ends the request: 404/408 "no (more) messages"; anything else means the consumer or
                    // JetStream is not there (deleted, server restarting).
                    if (msg.Headers?.Code is not (404 or 408))
                    {
                        Broken = true;
                    }

                    break;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // No reply in time (the server is away): what comes later is kept for the next fetch.
            }

            return got;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _sub.DisposeAsync().ConfigureAwait(false);
        }
        catch (NatsException)
        {
            // The connection is going away with it.
        }

        _gate.Dispose();
    }

    private static bool IsMessage(NatsMsg<byte[]> msg) =>
        msg.ReplyTo is { } reply && reply.StartsWith("$JS.ACK.", StringComparison.Ordinal);
}
