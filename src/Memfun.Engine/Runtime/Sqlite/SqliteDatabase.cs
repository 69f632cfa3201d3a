using System.Diagnostics;
using System.Runtime.CompilerServices;
using Memfun.Engine.Runtime.Abstractions;
using Microsoft.Data.Sqlite;

namespace Memfun.Engine.Runtime.Sqlite;

/// <summary>The runtime's SQLite file: WAL, pooled connections, writes in <c>BEGIN IMMEDIATE</c> transactions retried
/// while another process holds the write lock, so callers never see "database is locked".</summary>
/// <remarks>Thread safety: every member may be called concurrently; several processes may open the same file.</remarks>
internal sealed class SqliteDatabase
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    private static readonly TimeSpan LockBudget = TimeSpan.FromSeconds(60);
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> Prepared = new();

    private readonly string _connectionString;
    private readonly System.Threading.Channels.Channel<WriteItem> _writes =
        System.Threading.Channels.Channel.CreateUnbounded<WriteItem>(new System.Threading.Channels.UnboundedChannelOptions { SingleReader = true });
    private Thread? _writer;

    public SqliteDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(Path)!;
        try
        {
            Memfun.Tools.Workspace.StateFolder.Ensure(dir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RuntimeUnavailableException($"Cannot create the folder '{dir}' for the SQLite runtime store: {ex.Message}", ex);
        }

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString();
        Initialize();
    }

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <summary>Opens a pooled connection with this store's settings.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout=5000; PRAGMA synchronous=NORMAL;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in a write transaction on <paramref name="connection"/>, retrying while the file is locked.</summary>
    /// <summary>Queues <paramref name="work"/> for this process's writer thread, which runs queued work in one
    /// <c>BEGIN IMMEDIATE</c> transaction (group commit, a savepoint per item so one failure spoils only its own work)
    /// and completes the task after the commit. Callers never block a pool thread on SQLite's lock.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken = default)
    {
        var item = new WriteItem<T>(work);
        EnsureWriter();
        if (!_writes.Writer.TryWrite(item))
        {
            throw new ObjectDisposedException(nameof(SqliteDatabase));
        }

        return item.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stops the writer thread after the queued work.</summary>
    public void Complete()
    {
        _writes.Writer.TryComplete();
        _writer?.Join(TimeSpan.FromSeconds(30));
    }

    private void EnsureWriter()
    {
        if (_writer is not null)
        {
            return;
        }

        lock (_writes)
        {
            if (_writer is null)
            {
                var thread = new Thread(WriteLoop) { IsBackground = true, Name = "memfun-sqlite-writer" };
                thread.Start();
                _writer = thread;
            }
        }
    }

    private void WriteLoop()
    {
        using var connection = Open();
        var batch = new List<WriteItem>(256);
        var reader = _writes.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            batch.Clear();
            while (batch.Count < 256 && reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                Write(connection, c =>
                {
                    foreach (var item in batch)
                    {
                        Exec(c, "SAVEPOINT w");
                        try
                        {
                            item.Run(c);
                            Exec(c, "RELEASE w");
                        }
                        catch (Exception ex) when (ex is not SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked })
                        {
                            Exec(c, "ROLLBACK TO w");
                            Exec(c, "RELEASE w");
                            item.Fail(ex);
                        }
                    }

                    return 0;
                });
                // One thread-pool hop completes the whole batch (the callers' continuations run there, never on this
                // thread), instead of one hop per item: on a loaded machine the hops cost more than the writes.
                ThreadPool.UnsafeQueueUserWorkItem(static items =>
                {
                    foreach (var item in items)
                    {
                        item.Commit();
                    }
                }, batch.ToArray(), preferLocal: false);
            }
            catch (Exception ex)
            {
                ThreadPool.UnsafeQueueUserWorkItem(static state =>
                {
                    foreach (var item in state.Items)
                    {
                        item.Abort(state.Error);
                    }
                }, (Items: batch.ToArray(), Error: ex), preferLocal: false);
            }
        }
    }

    private abstract class WriteItem
    {
        public abstract void Run(SqliteConnection connection);

        public abstract void Commit();

        public abstract void Fail(Exception error);

        public abstract void Abort(Exception error);
    }

    private sealed class WriteItem<T>(Func<SqliteConnection, T> work) : WriteItem
    {
        private T? _result;
        private Exception? _error;

        /// <summary>Completed on a thread-pool thread that completes the rest of the batch too (continuations run inline there).</summary>
        public TaskCompletionSource<T> Done { get; } = new();

        public override void Run(SqliteConnection connection)
        {
            _error = null;
            _result = work(connection);
        }

        public override void Commit()
        {
            if (_error is { } e)
            {
                Done.TrySetException(e);
            }
            else
            {
                Done.TrySetResult(_result!);
            }
        }

        /// <summary>This item's work threw: its changes were rolled back, the others commit.</summary>
        public override void Fail(Exception error) => _error = error;

        /// <summary>The whole batch failed.</summary>
        public override void Abort(Exception error) => Done.TrySetException(error);
    }

    /// <summary>Runs <paramref name="work"/> in a write transaction on <paramref name="connection"/>, retrying while the file is locked.</summary>
    public T Write<T>(SqliteConnection connection, Func<SqliteConnection, T> work)
    {
        var clock = Stopwatch.StartNew();
        var delay = 1;
        while (true)
        {
            var begun = false;
            try
            {
                Exec(connection, "BEGIN IMMEDIATE");
                begun = true;
                var result = work(connection);
                Exec(connection, "COMMIT");
                return result;
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteBusy or SqliteLocked)
            {
                if (begun)
                {
                    TryRollback(connection);
                }

                if (clock.Elapsed > LockBudget)
                {
                    throw new RuntimeUnavailableException(
                        $"The SQLite runtime store '{Path}' stayed locked by another process for {LockBudget.TotalSeconds:0} s; " +
                        "check for a stuck memfun process holding it.", ex);
                }

                Thread.Sleep(Random.Shared.Next(delay, (delay * 2) + 1));
                delay = Math.Min(delay * 2, 50);
            }
            catch
            {
                if (begun)
                {
                    TryRollback(connection);
                }

                throw;
            }
        }
    }

    /// <summary>Runs a read on a pooled connection (WAL readers never wait for writers).</summary>
    public T Read<T>(Func<SqliteConnection, T> work)
    {
        using var connection = Open();
        return work(connection);
    }

    public static void Exec(SqliteConnection connection, string sql) => Command(connection, sql).ExecuteNonQuery();

    /// <summary>A command for <paramref name="sql"/> that stays prepared on <paramref name="connection"/> across calls,
    /// returned with no parameters; the caller adds its own and must not dispose it.</summary>
    /// <remarks>Meant for the writer thread's connection, where the same few statements run thousands of times: preparing
    /// a statement costs more than running these. Not thread-safe: a connection is used by one thread at a time.</remarks>
    public static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var cache = Prepared.GetOrCreateValue(connection);
        if (!cache.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            cache[sql] = command;
        }

        command.Parameters.Clear();
        return command;
    }

    public static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static void TryRollback(SqliteConnection connection)
    {
        try
        {
            Exec(connection, "ROLLBACK");
        }
        catch (SqliteException)
        {
            // Already rolled back by SQLite.
        }
    }

    private void Initialize()
    {
        try
        {
            using var connection = Open();
            using (var wal = connection.CreateCommand())
            {
                wal.CommandText = "PRAGMA journal_mode=WAL;";
                wal.ExecuteNonQuery();
            }

            Write(connection, c =>
            {
                Exec(c, """
                    CREATE TABLE IF NOT EXISTS events (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, data BLOB NOT NULL, ts INTEGER NOT NULL);
                    CREATE TABLE IF NOT EXISTS kv (
                        area TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, revision INTEGER NOT NULL, expires_at INTEGER,
                        PRIMARY KEY (area, key)) WITHOUT ROWID;
                    CREATE TABLE IF NOT EXISTS kv_log (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT, area TEXT NOT NULL, key TEXT NOT NULL, deleted INTEGER NOT NULL);
                    CREATE TABLE IF NOT EXISTS tasks (
                        n INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, priority INTEGER NOT NULL, payload BLOB NOT NULL,
                        state INTEGER NOT NULL, visible_at INTEGER NOT NULL, attempts INTEGER NOT NULL, lease_token INTEGER NOT NULL,
                        enqueued_at INTEGER NOT NULL, reason TEXT, finished_at INTEGER);
                    CREATE INDEX IF NOT EXISTS ix_tasks_ready ON tasks(kind, priority, n) WHERE state < 2;
                    CREATE INDEX IF NOT EXISTS ix_tasks_dead ON tasks(kind) WHERE state = 3;
                    """);
                return 0;
            });
        }
        catch (SqliteException ex)
        {
            throw new RuntimeUnavailableException(
                $"Cannot open the SQLite runtime store '{Path}': {ex.Message}. Check the file's permissions, or delete it if it is not a SQLite database.", ex);
        }
    }
}
