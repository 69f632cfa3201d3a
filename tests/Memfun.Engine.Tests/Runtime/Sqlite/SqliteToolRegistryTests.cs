using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Runtime.Sqlite;

/// <summary>The ToolRegistry contract on the Sqlite tier.</summary>
public sealed class SqliteToolRegistryTests() : ToolRegistryContract(new SqliteHarness());
