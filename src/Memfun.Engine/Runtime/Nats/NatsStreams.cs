using Memfun.Engine.Runtime.Abstractions;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Client.KeyValueStore;

namespace Memfun.Engine.Runtime.Nats;

/// <summary>Creates memfun's streams and KV buckets with the configured replica count, and refuses an existing one
/// whose replicas or limits differ from what memfun needs (instead of silently using, or silently changing, it).</summary>
internal static class NatsStreams
{
    /// <summary>The JetStream error code of "stream name already in use" (another process created it first).</summary>
    private const int StreamNameInUse = 10058;

    /// <summary>Makes sure stream <paramref name="wanted"/> exists with <see cref="NatsBackend.Replicas"/> replicas and
    /// the same retention, storage and limits.</summary>
    public static async Task EnsureStreamAsync(NatsBackend backend, StreamConfig wanted, CancellationToken cancellationToken)
    {
        wanted.NumReplicas = backend.Replicas;
        await RuntimeRetry.RunAsync(backend.Server, async () =>
        {
            if (await FindAsync(backend, wanted.Name!, cancellationToken).ConfigureAwait(false) is { } found)
            {
                Check(found, wanted, "stream");
                return 0;
            }

            try
            {
                await backend.JetStream.CreateStreamAsync(wanted, cancellationToken).ConfigureAwait(false);
            }
            catch (NatsJSApiException e) when (e.Error.ErrCode == StreamNameInUse)
            {
                Check((await FindAsync(backend, wanted.Name!, cancellationToken).ConfigureAwait(false))!, wanted, "stream");
            }

            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens KV bucket <paramref name="bucket"/> (history 1, file storage, <see cref="NatsBackend.Replicas"/>
    /// replicas), creating it when missing; an existing bucket with other replicas or history is refused.</summary>
    public static async Task<INatsKVStore> EnsureBucketAsync(NatsBackend backend, string bucket, CancellationToken cancellationToken) =>
        await RuntimeRetry.RunAsync(backend.Server, async () =>
        {
            var wanted = new StreamConfig("KV_" + bucket, [])
            {
                NumReplicas = backend.Replicas,
                MaxMsgsPerSubject = 1,
                Storage = StreamConfigStorage.File,
                Retention = StreamConfigRetention.Limits,
            };
            if (await FindAsync(backend, wanted.Name!, cancellationToken).ConfigureAwait(false) is { } found)
            {
                Check(found, wanted, "KV bucket stream");
                return await backend.KeyValue.GetStoreAsync(bucket, cancellationToken).ConfigureAwait(false);
            }

            return await backend.KeyValue.CreateOrUpdateStoreAsync(new NatsKVConfig(bucket)
            {
                History = 1,
                Storage = NatsKVStorageType.File,
                NumberOfReplicas = backend.Replicas,
            }, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>Throws a message naming every difference and the fix when <paramref name="found"/> is not what
    /// <paramref name="wanted"/> asks for (replicas, retention, storage, and the limits memfun sets).</summary>
    public static void Check(StreamConfig found, StreamConfig wanted, string what)
    {
        var diffs = new List<string>();
        if (Math.Max(1, found.NumReplicas) != Math.Max(1, wanted.NumReplicas))
        {
            diffs.Add($"{found.NumReplicas} replica(s), memfun is configured for {wanted.NumReplicas} ([backend.nats] replicas)");
        }

        if (found.Retention != wanted.Retention)
        {
            diffs.Add($"retention {found.Retention}, memfun needs {wanted.Retention}");
        }

        if (found.Storage != wanted.Storage)
        {
            diffs.Add($"storage {found.Storage}, memfun needs {wanted.Storage}");
        }

        if (wanted.MaxMsgs > 0 && found.MaxMsgs != wanted.MaxMsgs)
        {
            diffs.Add($"max_msgs {found.MaxMsgs}, memfun needs {wanted.MaxMsgs}");
        }

        if (wanted.MaxMsgsPerSubject > 0 && found.MaxMsgsPerSubject != wanted.MaxMsgsPerSubject)
        {
            diffs.Add($"max_msgs_per_subject {found.MaxMsgsPerSubject}, memfun needs {wanted.MaxMsgsPerSubject}");
        }

        if (diffs.Count > 0)
        {
            throw new RuntimeUnavailableException(
                $"NATS {what} {found.Name} exists with {string.Join("; ", diffs)}. memfun does not use it as it is: set [backend.nats] replicas " +
                $"to match, or change the stream (e.g. 'nats stream edit {found.Name} --replicas {wanted.NumReplicas}'), or remove it if its data may go.");
        }
    }

    private static async Task<StreamConfig?> FindAsync(NatsBackend backend, string name, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await backend.JetStream.GetStreamAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
            return stream.Info.Config;
        }
        catch (NatsJSApiException e) when (e.Error.Code == 404)
        {
            return null;
        }
    }
}
