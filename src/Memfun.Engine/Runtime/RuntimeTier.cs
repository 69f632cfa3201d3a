namespace Memfun.Engine.Runtime;

/// <summary>Where the runtime keeps events, tasks and state.</summary>
public enum RuntimeTier
{
    /// <summary>In this process only (tests, CI, one-shot runs).</summary>
    InProcess,

    /// <summary>A WAL SQLite file under <c>&lt;workspace&gt;/.memfun/</c>: durable, shared by processes on one machine. The default.</summary>
    Sqlite,

    /// <summary>A Redis server (streams, consumer groups, hashes).</summary>
    Redis,

    /// <summary>A NATS server with JetStream (streams, work queues, KV buckets).</summary>
    Nats,
}
