using System.Globalization;
using StackExchange.Redis;

namespace Memfun.Engine.Runtime.Redis;

/// <summary>The Redis transport of the <see cref="PriorityDoorbells"/>: a bell is a pub/sub message
/// <c>{kind}\n{priority}</c> on <c>{prefix}:ring</c>.</summary>
/// <remarks>Bells are heard once the server has confirmed the subscription (before that, every priority is read);
/// StackExchange.Redis subscribes again after a reconnect, and what rang in between is found by the recheck.</remarks>
internal sealed class RedisDoorbells(ISubscriber subscriber, RedisChannel channel, Action heard) : PriorityDoorbells(heard)
{
    protected override async ValueTask SendAsync(string kind, int priority, CancellationToken cancellationToken)
    {
        try
        {
            await subscriber.PublishAsync(channel, kind + "\n" + priority.ToString(CultureInfo.InvariantCulture), CommandFlags.FireAndForget).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Heard at the next recheck instead.
        }
    }

    protected override async Task ListenAsync()
    {
        await subscriber.SubscribeAsync(channel, (_, message) =>
        {
            var text = (string?)message;
            var cut = text?.LastIndexOf('\n') ?? -1;
            if (cut > 0 && int.TryParse(text.AsSpan(cut + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var priority))
            {
                Heard(text![..cut], priority);
            }
        }).ConfigureAwait(false);
        Listening = true;
    }
}
