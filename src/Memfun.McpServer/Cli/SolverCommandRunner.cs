using System.CommandLine;
using System.Text.Json;
using Memfun.Engine.Llm;
using Memfun.Engine.Solving;
using Memfun.McpServer.Mcp;
using Memfun.Tools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Memfun.McpServer.Cli;

/// <summary>
/// Runs one solver request from the command line (<c>memfun solve|fix|ask|analyze|review</c>) against the
/// configured provider: progress on stderr, the report (or <c>--json</c>) on stdout.
/// </summary>
/// <remarks>
/// Exit codes: 0 done (answered, changed and verified, or nothing to change); 1 not done (rejected, cut off,
/// checks still failing, budget or provider failure); 2 usage error; 3 no model configured.
/// </remarks>
internal static class SolverCommandRunner
{
    public static Option<bool> Json() => new("--json") { Description = "Print the result as JSON (the MCP tool's structured content) instead of a report." };

    /// <summary>Builds a sub-command that takes one argument and runs <paramref name="mode"/>.</summary>
    public static Command Create(string name, string description, SolverMode mode, string argumentName, string argumentDescription)
    {
        var argument = new Argument<string>(argumentName) { Description = argumentDescription };
        var json = Json();
        var workspace = CommonOptions.Workspace();
        var command = new Command(name, description) { argument, json, workspace };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var text = parse.GetValue(argument) ?? string.Empty;
            var request = mode is SolverMode.Analyze or SolverMode.Review
                ? new SolverRequest(mode, string.Empty, text)
                : new SolverRequest(mode, text);
            return await RunAsync(CommonOptions.ResolveWorkspace(parse.GetValue(workspace)), request, parse.GetValue(json), cancellationToken);
        });
        return command;
    }

    public static async Task<int> RunAsync(string workspace, SolverRequest request, bool json, CancellationToken cancellationToken)
    {
        var config = CommonOptions.LoadConfiguration(workspace);
        var services = new ServiceCollection();
        services.AddLogging(l =>
        {
            l.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            l.SetMinimumLevel(Enum.TryParse<LogLevel>(config["log:level"], true, out var level) ? level : LogLevel.Warning);
        });
        services.AddMemfunTools(o => o.Root = workspace);
        services.AddMemfunSolver(config);
        await using var provider = services.BuildServiceProvider();

        SolveResult result;
        try
        {
            var model = provider.GetRequiredService<IChatClientFactory>().GetChatClient();
            var progress = new Progress(json);
            result = await provider.GetRequiredService<ISolver>().RunAsync(request, model, progress, cancellationToken);
        }
        catch (LlmNotConfiguredException ex)
        {
            await Console.Error.WriteLineAsync($"memfun: {ex.Message}");
            return 3;
        }
        catch (MemfunToolException ex)
        {
            throw new CliException(ex.Message, 1);
        }
        catch (ArgumentException ex)
        {
            throw new CliException(ex.Message);
        }

        if (json)
        {
            await Console.Out.WriteLineAsync(SolveResultText.ToJson(result).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            await Console.Out.WriteAsync(SolveResultText.Render(result));
        }

        return SolveResultText.IsFailure(result) || result.Status == SolveStatus.VerificationFailed ? 1 : 0;
    }

    /// <summary>Writes each step to stderr as it starts (synchronously, in order).</summary>
    private sealed class Progress(bool quiet) : IProgress<SolverProgress>
    {
        public void Report(SolverProgress value)
        {
            if (!quiet)
            {
                Console.Error.WriteLine($"[{value.Step}/{value.Total}] {value.Message}");
            }
        }
    }
}
