using System.Runtime.CompilerServices;
using Memfun.Engine.Trust;

namespace Memfun.McpServer.Tests.Infrastructure;

/// <summary>
/// Trusts the temp folder, where every <see cref="TempWorkspace"/> lives, for this test process and the memfun processes
/// it starts (they inherit <c>MEMFUN_TRUSTED_WORKSPACES</c>), so the tests of project settings, agents and skills see their
/// workspace's files. The hostile-repository tests clear the variable for the processes they start.
/// </summary>
internal static class TrustedTestWorkspaces
{
#pragma warning disable CA2255 // A module initializer in a test assembly: the variable must be set before any test starts a server.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void TrustTempFolder() =>
        Environment.SetEnvironmentVariable(WorkspaceTrustStore.EnvironmentVariable, Path.GetTempPath());
}
