using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Runtime.Sqlite;

/// <summary>The KnowledgeBase contract on the Sqlite tier.</summary>
public sealed class SqliteKnowledgeBaseTests() : KnowledgeBaseContract(new SqliteHarness());
