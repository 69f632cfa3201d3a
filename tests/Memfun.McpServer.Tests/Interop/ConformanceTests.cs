using System.Text;
using System.Text.Json;
using Memfun.McpServer.Tests.Infrastructure;

namespace Memfun.McpServer.Tests.Interop;

/// <summary>
/// MCP's official conformance suite (<c>@modelcontextprotocol/conformance</c>) against
/// <c>memfun serve --http</c>: every check of every scenario named in issues 2 and 10 must succeed
/// (a warning counts as a failure).
/// </summary>
/// <remarks>
/// The CLI writes one <c>checks.json</c> per scenario (<c>-o DIR</c>): an array of
/// <c>{ id, name, description, status: SUCCESS|FAILURE|WARNING|SKIPPED|INFO, errorMessage }</c>;
/// a failing test lists the checks that did not succeed with their messages.
/// </remarks>
public sealed class ConformanceTests(ConformanceServerFixture fixture) : IClassFixture<ConformanceServerFixture>
{
    private static readonly string[] Issue10 =
    [
        "server-initialize", "server-stateless", "logging-set-level", "ping", "tools-list", "resources-list",
        "prompts-list", "sep-2164-resource-not-found", "caching", "http-header-validation", "dns-rebinding-protection",
    ];

    private static readonly string[] Issue2 =
    [
        "server-initialize", "ping", "tools-list", "logging-set-level", "dns-rebinding-protection", "resources-list", "prompts-list",
    ];

    public static TheoryData<string> Issue10Scenarios => new(Issue10);

    public static TheoryData<string> Issue2Scenarios => new(Issue2);

    [Theory]
    [MemberData(nameof(Issue10Scenarios))]
    public Task Conformance_0_2_0_alpha_12_scenario_passes_every_check(string scenario) => RunScenarioAsync(NodeTools.Conformance, scenario);

    [Theory]
    [MemberData(nameof(Issue2Scenarios))]
    public Task Conformance_0_1_16_scenario_passes_every_check(string scenario) => RunScenarioAsync(NodeTools.Conformance0116, scenario);

    private async Task RunScenarioAsync(string cli, string scenario)
    {
        NodeTools.Require(NodeTools.Conformance, NodeTools.Conformance0116);
        fixture.StartAll([
            .. Issue10.Select(s => (NodeTools.Conformance, s)),
            .. Issue2.Select(s => (NodeTools.Conformance0116, s)),
        ]);
        var failure = await FailuresAsync(cli, scenario, await fixture.Run(cli, scenario));
        // Every scenario runs at once against one server, and the suite's own waits are short (server-stateless gives a
        // streamed tools/call 500-600 ms), which a CI machine busy with the other test processes can exceed: a scenario
        // that failed there runs again alone, up to three times, and must then pass. Failing every time fails the test.
        for (var attempt = 1; failure is not null && attempt <= 3; attempt++)
        {
            var again = await FailuresAsync(cli, scenario, await fixture.RerunAsync(cli, scenario));
            if (again is null)
            {
                return;
            }

            Assert.True(attempt < 3, $"{failure}\n--- run again alone, three times; the last run ---\n{again}");
        }
    }

    /// <summary>The report of the checks that failed in <paramref name="run"/>, or null when every check passed.</summary>
    private async Task<string?> FailuresAsync(string cli, string scenario, NodeRun run)
    {
        var output = fixture.OutputOf(cli, scenario);
        var checksFile = Directory.Exists(output) ? Directory.EnumerateFiles(output, "checks.json", SearchOption.AllDirectories).FirstOrDefault() : null;
        if (checksFile is null)
        {
            return $"The conformance CLI wrote no checks.json for '{scenario}'.\n{run}\n--- server stderr ---\n{fixture.Server.StandardError}";
        }

        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(checksFile));
        var checks = doc.RootElement.EnumerateArray().ToList();
        var failed = checks
            .Where(c => c.GetProperty("status").GetString() is not ("SUCCESS" or "SKIPPED" or "INFO"))
            .ToList();
        if (failed.Count == 0 && checks.Count > 0 && run.ExitCode == 0)
        {
            return null;
        }

        var report = new StringBuilder($"Conformance scenario '{scenario}' ({Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(cli)))}): {checks.Count - failed.Count}/{checks.Count} checks passed, CLI exit {run.ExitCode}.\n");
        foreach (var c in failed)
        {
            report.Append("  ").Append(c.GetProperty("status").GetString()).Append(' ').Append(c.GetProperty("id").GetString())
                  .Append(": ").AppendLine(c.TryGetProperty("errorMessage", out var m) ? m.ToString() : c.GetProperty("description").GetString());
        }

        if (failed.Count == 0)
        {
            report.AppendLine(run.ToString());
        }

        return report.ToString();
    }
}
