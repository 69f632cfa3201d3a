using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Runtime.InProcess;

/// <summary>The ToolRegistry contract on the InProcess tier.</summary>
public sealed class InProcessToolRegistryTests() : ToolRegistryContract(new InProcessHarness());
