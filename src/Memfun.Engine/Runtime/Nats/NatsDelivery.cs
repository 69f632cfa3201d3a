using System.Globalization;
using System.Text;
using NATS.Client.Core;

namespace Memfun.Engine.Runtime.Nats;

/// <summary>
/// What JetStream writes into a delivered message's reply subject (<c>$JS.ACK.…</c>): the stream sequence, the
/// delivery count and the time the message was stored; and the acknowledgements a worker sends back to that subject.
/// </summary>
/// <remarks>
/// The client library offers both through a wrapper that parses the subject into strings and records on first use;
/// the task queue reads the three numbers it needs straight from the subject and sends the acknowledgement bodies
/// itself, which saves about 1 KB of garbage per task. Two layouts exist: <c>$JS.ACK.stream.consumer.delivered.
/// sseq.cseq.time.pending</c> and, from servers with domains, <c>$JS.ACK.domain.account.stream.consumer.delivered.
/// sseq.cseq.time.pending[.token]</c>.
/// </remarks>
internal readonly record struct NatsDelivery(ulong StreamSequence, int Delivered, DateTimeOffset Stored)
{
    private static readonly byte[] Ack = "+ACK"u8.ToArray();
    private static readonly byte[] Progress = "+WPI"u8.ToArray();
    private static readonly byte[] Nak = "-NAK"u8.ToArray();

    public static bool TryParse(string? replyTo, out NatsDelivery delivery)
    {
        delivery = default;
        if (replyTo is null || !replyTo.StartsWith("$JS.ACK.", StringComparison.Ordinal))
        {
            return false;
        }

        var subject = replyTo.AsSpan();
        Span<Range> tokens = stackalloc Range[14];
        var count = subject.Split(tokens, '.');
        var first = count switch
        {
            9 => 2,
            >= 11 and <= 12 => 4,
            _ => -1,
        };
        if (first < 0
            || !ulong.TryParse(subject[tokens[first + 2]], NumberStyles.None, CultureInfo.InvariantCulture, out var delivered)
            || !ulong.TryParse(subject[tokens[first + 3]], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            || !long.TryParse(subject[tokens[first + 5]], NumberStyles.None, CultureInfo.InvariantCulture, out var nanos))
        {
            return false;
        }

        delivery = new NatsDelivery(sequence, (int)Math.Min(delivered, int.MaxValue), DateTimeOffset.UnixEpoch.AddTicks(nanos / 100));
        return true;
    }

    /// <summary>Done: the server removes the message from the work queue.</summary>
    public static ValueTask AckAsync(INatsConnection connection, string replyTo, CancellationToken cancellationToken) =>
        connection.PublishAsync(replyTo, Ack, cancellationToken: cancellationToken);

    /// <summary>Still working: the ack-wait starts over.</summary>
    public static ValueTask ProgressAsync(INatsConnection connection, string replyTo, CancellationToken cancellationToken) =>
        connection.PublishAsync(replyTo, Progress, cancellationToken: cancellationToken);

    /// <summary>Give it back, to be delivered again after <paramref name="delay"/>.</summary>
    public static ValueTask NakAsync(INatsConnection connection, string replyTo, TimeSpan delay, CancellationToken cancellationToken)
    {
        var nanos = Math.Max(0, delay.Ticks) * 100;
        var body = nanos == 0 ? Nak : Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"-NAK {{\"delay\": {nanos}}}"));
        return connection.PublishAsync(replyTo, body, cancellationToken: cancellationToken);
    }
}
