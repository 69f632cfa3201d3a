using Memfun.Engine.Solving;

namespace Memfun.Engine.Tests.Solving;

public sealed class VerifierDetectorTests
{
    [Fact]
    public void Configured_commands_replace_detection()
    {
        using var h = new SolverHarness();
        h.Write("a.py", "x = 1\n");

        var checks = VerifierDetector.Detect(h.CreateReader().ListFiles(), h.Root, new SolverOptions { VerifyCommands = ["make lint"] }, h.CreateRunner());

        Assert.Equal([new VerifyCheck("custom", "make lint")], checks);
    }

    [Fact]
    public void A_python_and_dotnet_workspace_gets_a_python_check_and_a_dotnet_build_when_the_tools_are_installed()
    {
        using var h = new SolverHarness();
        h.Write("tool.py", "x = 1\n").Write("App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />\n");
        var runner = h.CreateRunner();

        var checks = VerifierDetector.Detect(h.CreateReader().ListFiles(), h.Root, new SolverOptions(), runner);

        Assert.Contains(checks, c => c.Tool is "ruff" or "python-syntax");
        Assert.Contains(checks, c => c.Tool == "dotnet build" && c.Command.Contains("'App.csproj'", StringComparison.Ordinal));
        Assert.DoesNotContain(checks, c => c.Tool == "go vet");
    }
}
