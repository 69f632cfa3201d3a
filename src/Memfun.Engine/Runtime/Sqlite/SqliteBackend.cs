using Memfun.Engine.Runtime.Abstractions;

namespace Memfun.Engine.Runtime.Sqlite;

/// <summary>The SQLite tier: one WAL file shared by every process on the machine that opens it.</summary>
internal sealed class SqliteBackend : RuntimeBackend
{
    private readonly SqliteDatabase _db;
    private readonly SqliteEventBus _bus;
    private readonly Doorbell _written = new();

    public SqliteBackend(string path, TaskQueueOptions? taskOptions = null)
    {
        _db = new SqliteDatabase(path);
        _bus = new SqliteEventBus(_db);
        TaskQueue = new SqliteTaskQueue(_db, taskOptions ?? TaskQueueOptions.Default, new Doorbell());
    }

    public override string Tier => "sqlite";

    public override string Address => _db.Path;

    public override IEventBus EventBus => _bus;

    public override ITaskQueue TaskQueue { get; }

    protected override IStateStore CreateStateStore(string area) => new SqliteStateStore(_db, area, _written);

    public override async ValueTask DisposeAsync()
    {
        await _bus.DisposeAsync().ConfigureAwait(false);
        _db.Complete();
    }
}
