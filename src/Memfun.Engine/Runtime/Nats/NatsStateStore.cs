using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using Memfun.Engine.Runtime.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Client.KeyValueStore;

namespace Memfun.Engine.Runtime.Nats;

/// <summary>One area of state as a NATS KV bucket. Each value is stored after an 8-byte expiry (Unix ms, 0 = none):
/// nats-server 2.9 has no per-key TTL, so expired entries read as absent.</summary>
internal sealed class NatsStateStore(NatsBackend backend, string bucket) : IStateStore
{
    /// <summary>The header carrying the token of the call that wrote a value (see <see cref="TryUpdateAsync"/>).</summary>
    private const string WriterHeader = "Memfun-Writer";

    /// <summary>JetStream's error code for "wrong last sequence" (the compare-and-set found another revision).</summary>
    private const int WrongLastSequence = 10071;

    private Task<INatsKVStore>? _store;

    public async ValueTask<StateEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        RuntimeNames.ValidateKey(key);
        var kv = await StoreAsync(cancellationToken).ConfigureAwait(false);
        var raw = await GetRawAsync(kv, NatsKeys.Encode(key), cancellationToken).ConfigureAwait(false);
        return raw is { Live: true } r ? new StateEntry(key, r.Value, r.Revision) : null;
    }

    public async ValueTask<long> PutAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        RuntimeNames.ValidateKey(key);
        var kv = await StoreAsync(cancellationToken).ConfigureAwait(false);
        var data = Wrap(value, ttl);
        var k = NatsKeys.Encode(key);
        return (long)await Run(() => kv.PutAsync(k, data, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<long?> TryUpdateAsync(string key, ReadOnlyMemory<byte> value, long expectedRevision, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        RuntimeNames.ValidateKey(key);
        var kv = await StoreAsync(cancellationToken).ConfigureAwait(false);
        var k = NatsKeys.Encode(key);
        var raw = await GetRawAsync(kv, k, cancellationToken).ConfigureAwait(false);
        var live = raw is { Live: true } ? raw.Value.Revision : 0;
        if (live != expectedRevision)
        {
            return null;
        }

        // Create (expected revision 0 = the key has no message) or replace exactly the revision read, which for an
        // expired or deleted entry is its marker's. Only the server's "wrong last sequence" is a conflict; anything else
        // (no reply, server away, no leader) is retried. Each write carries a token unique to this call (a header): a
        // retry whose first try was stored before its reply was lost meets its own write, recognised by the token, and
        // reports it as this call's success, not as a conflict.
        var data = Wrap(value, ttl);
        var subject = "$KV." + bucket + "." + k;
        var token = Guid.NewGuid().ToString("N");
        var headers = new NatsHeaders
        {
            ["Nats-Expected-Last-Subject-Sequence"] = (raw is null ? 0L : raw.Value.Revision).ToString(CultureInfo.InvariantCulture),
            [WriterHeader] = token,
        };
        var tries = 0;
        var ack = await Run(() =>
        {
            tries++;
            return backend.JetStream.PublishAsync(subject, data, headers: headers, cancellationToken: cancellationToken);
        }, cancellationToken).ConfigureAwait(false);
        if (ack.Error is not { ErrCode: WrongLastSequence })
        {
            ack.EnsureSuccess();
            return (long)ack.Seq;
        }

        return tries == 1 ? null : await OwnWriteAsync(subject, token, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The revision of the key's last message when this call's token wrote it (its earlier try was stored),
    /// else <see langword="null"/> (someone else wrote first).</summary>
    private async Task<long?> OwnWriteAsync(string subject, string token, CancellationToken cancellationToken)
    {
        var last = await Run(async () =>
        {
            var stream = await backend.JetStream.GetStreamAsync("KV_" + bucket, cancellationToken: cancellationToken).ConfigureAwait(false);
            return await stream.GetDirectAsync<byte[]>(new StreamMsgGetRequest { LastBySubj = subject }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return last.Headers is { } h && h.TryGetValue(WriterHeader, out var writer) && writer.ToString() == token
            && h.TryGetValue("Nats-Sequence", out var seq) && long.TryParse(seq.ToString(), CultureInfo.InvariantCulture, out var revision)
            ? revision
            : null;
    }

    public async ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        RuntimeNames.ValidateKey(key);
        var kv = await StoreAsync(cancellationToken).ConfigureAwait(false);
        var k = NatsKeys.Encode(key);
        var raw = await GetRawAsync(kv, k, cancellationToken).ConfigureAwait(false);
        if (raw is null)
        {
            return false;
        }

        await Run(async () =>
        {
            await kv.DeleteAsync(k, cancellationToken: cancellationToken).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
        return raw.Value.Live;
    }

    public async IAsyncEnumerable<StateEntry> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var kv = await StoreAsync(cancellationToken).ConfigureAwait(false);
        var encoded = NatsKeys.Encode(prefix);
        var keys = new List<string>();
        await foreach (var k in kv.GetKeysAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (k.StartsWith(encoded, StringComparison.Ordinal))
            {
                keys.Add(k);
            }
        }

        var decoded = keys.Select(k => (Encoded: k, Key: NatsKeys.Decode(k))).OrderBy(x => x.Key, StringComparer.Ordinal);
        foreach (var (k, key) in decoded)
        {
            var raw = await GetRawAsync(kv, k, cancellationToken).ConfigureAwait(false);
            if (raw is { Live: true } r)
            {
                yield return new StateEntry(key, r.Value, r.Revision);
            }
        }
    }

    public async ValueTask<IRuntimeSubscription<StateChange>> WatchAsync(string prefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var kv = await StoreAsync(cancellationToken).ConfigureAwait(false);
        var status = await kv.GetStatusAsync(cancellationToken).ConfigureAwait(false);
        var resumeAt = status.Info.State.LastSeq + 1;
        var encoded = NatsKeys.Encode(prefix);
        var sub = new ChannelSubscription<StateChange>(0);
        sub.Start(async ct =>
        {
            var opts = new NatsKVWatchOpts { ResumeAtRevision = resumeAt };
            await foreach (var e in kv.WatchAsync<byte[]>(">", opts: opts, cancellationToken: ct).ConfigureAwait(false))
            {
                if (!e.Key.StartsWith(encoded, StringComparison.Ordinal))
                {
                    continue;
                }

                var key = NatsKeys.Decode(e.Key);
                StateChange change;
                if (e.Operation != NatsKVOperation.Put)
                {
                    change = new StateChange(key, null);
                }
                else
                {
                    var (live, value) = Unwrap(e.Value);
                    change = new StateChange(key, live ? new StateEntry(key, value, (long)e.Revision) : null);
                }

                await sub.Writer.WriteAsync(change, ct).ConfigureAwait(false);
            }
        });
        return sub;
    }

    private async Task<(ReadOnlyMemory<byte> Value, long Revision, bool Live)?> GetRawAsync(INatsKVStore kv, string key, CancellationToken cancellationToken)
    {
        if (backend.Replicas > 1)
        {
            // A direct get is answered by any replica, possibly a follower behind the leader: a compare-and-set would
            // then see an old revision. With replicas, read from the stream's leader.
            return await Run<(ReadOnlyMemory<byte> Value, long Revision, bool Live)?>(() => LeaderGetAsync(key, cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        var result = await Run(async () =>
        {
            var r = await kv.TryGetEntryAsync<byte[]>(key, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (r is { Success: false, Error: not (NatsKVKeyNotFoundException or NatsKVKeyDeletedException) })
            {
                // A status reply instead of an entry (server restarting, no leader): not an answer about the key.
                throw r.Error;
            }

            return r;
        }, cancellationToken).ConfigureAwait(false);
        if (!result.Success)
        {
            return result.Error is NatsKVKeyDeletedException deleted ? (ReadOnlyMemory<byte>.Empty, (long)deleted.Revision, false) : null;
        }

        var (live, value) = Unwrap(result.Value.Value);
        return (value, (long)result.Value.Revision, live);
    }

    private async ValueTask<(ReadOnlyMemory<byte> Value, long Revision, bool Live)?> LeaderGetAsync(string key, CancellationToken cancellationToken)
    {
        var stream = await backend.JetStream.GetStreamAsync("KV_" + bucket, cancellationToken: cancellationToken).ConfigureAwait(false);
        StreamMsgGetResponse response;
        try
        {
            response = await stream.GetAsync(new StreamMsgGetRequest { LastBySubj = "$KV." + bucket + "." + key }, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJSApiException e) when (e.Error.Code == 404)
        {
            return null;
        }

        var m = response.Message;
        if (m.Hdrs is { Length: > 0 } hdrs)
        {
            var text = System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(hdrs));
            if (text.Contains("KV-Operation: DEL", StringComparison.Ordinal) || text.Contains("KV-Operation: PURGE", StringComparison.Ordinal))
            {
                return (ReadOnlyMemory<byte>.Empty, (long)m.Seq, false);
            }
        }

        var (live, value) = Unwrap(m.Data.ToArray());
        return (value, (long)m.Seq, live);
    }

    private static byte[] Wrap(ReadOnlyMemory<byte> value, TimeSpan? ttl)
    {
        var data = new byte[8 + value.Length];
        BinaryPrimitives.WriteInt64LittleEndian(data, ttl is { } t ? DateTimeOffset.UtcNow.Add(t).ToUnixTimeMilliseconds() : 0);
        value.Span.CopyTo(data.AsSpan(8));
        return data;
    }

    private static (bool Live, ReadOnlyMemory<byte> Value) Unwrap(byte[]? data)
    {
        if (data is null || data.Length < 8)
        {
            return (data is not null, ReadOnlyMemory<byte>.Empty);
        }

        var expires = BinaryPrimitives.ReadInt64LittleEndian(data);
        var live = expires == 0 || expires > DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return (live, data.AsMemory(8));
    }

    private Task<INatsKVStore> StoreAsync(CancellationToken cancellationToken)
    {
        var store = _store;
        if (store is { IsCompletedSuccessfully: true })
        {
            return store;
        }

        return _store = NatsStreams.EnsureBucketAsync(backend, bucket, cancellationToken);
    }

    private ValueTask<T> Run<T>(Func<ValueTask<T>> call, CancellationToken cancellationToken) => RuntimeRetry.RunAsync(backend.Server, call, cancellationToken);
}
