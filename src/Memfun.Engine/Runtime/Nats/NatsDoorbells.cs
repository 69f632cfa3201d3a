using System.Globalization;
using NATS.Client.Core;

namespace Memfun.Engine.Runtime.Nats;

/// <summary>The NATS transport of the <see cref="PriorityDoorbells"/>: a bell is an empty plain-NATS message on
/// <c>{PREFIX}.ring.{kind}.{priority}</c>, heard through one subscription to <c>{PREFIX}.ring.&gt;</c>.</summary>
/// <remarks>The subscription is written to the connection before any pull that follows it, so the server hears of it
/// first. A producer that rings none (the <c>nats</c> CLI) is found by the recheck.</remarks>
internal sealed class NatsDoorbells(INatsConnection connection, string prefix, Action heard) : PriorityDoorbells(heard)
{
    private readonly string _subjectPrefix = prefix + ".ring.";
    protected override async ValueTask SendAsync(string kind, int priority, CancellationToken cancellationToken)
    {
        try
        {
            await connection.PublishAsync(_subjectPrefix + kind + "." + priority.ToString(CultureInfo.InvariantCulture), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (NatsException)
        {
            // Heard at the next recheck instead.
        }
    }

    protected override async Task ListenAsync()
    {
        var sub = await connection.SubscribeCoreAsync<byte[]>(_subjectPrefix + ">").ConfigureAwait(false);
        await using var _ = sub.ConfigureAwait(false);
        Listening = true;
        try
        {
            await foreach (var msg in sub.Msgs.ReadAllAsync().ConfigureAwait(false))
            {
                // {prefix}.ring.{kind}.{priority}
                var rest = msg.Subject.AsSpan(_subjectPrefix.Length);
                var dot = rest.LastIndexOf('.');
                if (dot > 0 && int.TryParse(rest[(dot + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var priority))
                {
                    Heard(rest[..dot].ToString(), priority);
                }
            }
        }
        finally
        {
            Listening = false; // the connection is gone: pull every priority again
        }
    }
}
