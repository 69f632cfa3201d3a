using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Memfun.Engine.Runtime.Abstractions;
using StackExchange.Redis;

namespace Memfun.Engine.Runtime.Redis;

/// <summary>One area of Redis state: a hash per key (<c>v</c> value, <c>r</c> revision) with PEXPIRE for TTLs;
/// revisions come from one counter; every write is announced on a pub/sub channel for watchers.</summary>
/// <remarks>Writes run as Lua scripts, so compare-and-set is atomic. Each write carries a token unique to the call
/// (field <c>w</c>): when a compare-and-set was applied but its reply lost, the retry finds its own token and reports the
/// write as done (its revision) instead of as a conflict. Watch is pub/sub: changes made while a watcher
/// is disconnected are not replayed.</remarks>
internal sealed class RedisStateStore(RedisBackend backend, string area) : IStateStore
{
    private const string PutScript = """
        if ARGV[3] ~= '' then
          local cur = redis.call('HMGET', KEYS[1], 'r', 'w')
          if (cur[1] or '0') ~= ARGV[3] then
            if cur[2] == ARGV[5] then return tonumber(cur[1]) end
            return -1
          end
        end
        local r = redis.call('INCR', KEYS[2])
        redis.call('HSET', KEYS[1], 'v', ARGV[1], 'r', r, 'w', ARGV[5])
        if ARGV[2] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[2]) else redis.call('PERSIST', KEYS[1]) end
        redis.call('PUBLISH', KEYS[3], r .. '\n0\n' .. ARGV[4])
        return r
        """;

    private const string DeleteScript = """
        local n = redis.call('DEL', KEYS[1])
        if n == 1 then
          local r = redis.call('INCR', KEYS[2])
          redis.call('PUBLISH', KEYS[3], r .. '\n1\n' .. ARGV[1])
        end
        return n
        """;

    private readonly string _keyPrefix = (string)backend.Key("kv:" + area + ":")!;
    private readonly RedisKey _revision = backend.Key("kv:rev");
    private readonly RedisChannel _channel = RedisChannel.Literal((string)backend.Key("kvw:" + area)!);

    public async ValueTask<StateEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        RuntimeNames.ValidateKey(key);
        var values = await Run(() => backend.Database.HashGetAsync(_keyPrefix + key, ["v", "r"]), cancellationToken).ConfigureAwait(false);
        return values[0].IsNull ? null : new StateEntry(key, (byte[])values[0]!, (long)values[1]);
    }

    public async ValueTask<long> PutAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? ttl = null, CancellationToken cancellationToken = default) =>
        (await WriteAsync(key, value, "", ttl, cancellationToken).ConfigureAwait(false))!.Value;

    public ValueTask<long?> TryUpdateAsync(string key, ReadOnlyMemory<byte> value, long expectedRevision, TimeSpan? ttl = null, CancellationToken cancellationToken = default) =>
        WriteAsync(key, value, expectedRevision.ToString(CultureInfo.InvariantCulture), ttl, cancellationToken);

    public async ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        RuntimeNames.ValidateKey(key);
        var n = await Run(() => backend.Database.ScriptEvaluateAsync(DeleteScript, [_keyPrefix + key, _revision, (string)_channel!], [key]), cancellationToken).ConfigureAwait(false);
        return (long)n == 1;
    }

    public async IAsyncEnumerable<StateEntry> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var match = Escape(_keyPrefix + prefix) + "*";
        var keys = new List<string>();
        long cursor = 0;
        do
        {
            var c = cursor;
            var page = await Run(() => backend.Database.ExecuteAsync("SCAN", c, "MATCH", match, "COUNT", 1000), cancellationToken).ConfigureAwait(false);
            var parts = (RedisResult[])page!;
            cursor = long.Parse((string)parts[0]!, CultureInfo.InvariantCulture);
            keys.AddRange(((RedisResult[])parts[1]!).Select(k => (string)k!));
        }
        while (cursor != 0);

        keys.Sort(StringComparer.Ordinal);
        foreach (var k in keys.Distinct())
        {
            var entry = await GetAsync(k[_keyPrefix.Length..], cancellationToken).ConfigureAwait(false);
            if (entry is not null)
            {
                yield return entry;
            }
        }
    }

    public async ValueTask<IRuntimeSubscription<StateChange>> WatchAsync(string prefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var sub = new ChannelSubscription<StateChange>(0, singleWriter: false);
        var queue = await backend.Subscriber.SubscribeAsync(_channel).ConfigureAwait(false);
        sub.Start(async ct =>
        {
            await foreach (var message in queue.WithCancellation(ct).ConfigureAwait(false))
            {
                var text = (string)message.Message!;
                var parts = text.Split('\n', 3);
                var key = parts[2];
                if (!key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    continue;
                }

                var revision = long.Parse(parts[0], CultureInfo.InvariantCulture);
                StateEntry? entry = null;
                if (parts[1] == "0")
                {
                    var current = await GetAsync(key, ct).ConfigureAwait(false);
                    entry = current ?? new StateEntry(key, Array.Empty<byte>(), revision);
                }

                await sub.Writer.WriteAsync(new StateChange(key, entry), ct).ConfigureAwait(false);
            }
        }, async () => await queue.UnsubscribeAsync().ConfigureAwait(false));
        return sub;
    }

    private async ValueTask<long?> WriteAsync(string key, ReadOnlyMemory<byte> value, string expected, TimeSpan? ttl, CancellationToken cancellationToken)
    {
        RuntimeNames.ValidateKey(key);
        var ttlMs = ttl is { } t ? Math.Max(1, (long)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) : "";
        var writer = Guid.NewGuid().ToString("N"); // the same on every retry of this call
        var result = await Run(() => backend.Database.ScriptEvaluateAsync(PutScript,
            [_keyPrefix + key, _revision, (string)_channel!],
            [value, ttlMs, expected, key, writer]), cancellationToken).ConfigureAwait(false);
        var r = (long)result;
        return r < 0 ? null : r;
    }

    private Task<T> Run<T>(Func<Task<T>> call, CancellationToken cancellationToken) => RuntimeRetry.RunAsync(backend.Server, call, cancellationToken);

    private static string Escape(string glob)
    {
        var sb = new StringBuilder(glob.Length);
        foreach (var c in glob)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
