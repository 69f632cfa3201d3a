using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Runtime.InProcess;

/// <summary>The EventBus contract on the InProcess tier.</summary>
public sealed class InProcessEventBusTests() : EventBusContract(new InProcessHarness());
