using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Runtime.Sqlite;

/// <summary>The TaskQueue contract on the Sqlite tier.</summary>
public sealed class SqliteTaskQueueTests() : TaskQueueContract(new SqliteHarness());
