using System.CommandLine;

namespace Memfun.McpServer.Cli;

/// <summary>The <c>memfun</c> command line: one sub-command per file in this folder.</summary>
internal static class MemfunCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Memfun: an MCP server with a self-verifying coding agent, persistent memory and an event-driven runtime.");
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(InitCommand.Create());
        root.Subcommands.Add(SolveCommand.Create());
        root.Subcommands.Add(FixCommand.Create());
        root.Subcommands.Add(AskCommand.Create());
        root.Subcommands.Add(AnalyzeCommand.Create());
        root.Subcommands.Add(ReviewCommand.Create());
        root.Subcommands.Add(ReplHostCommand.Create());
        root.Subcommands.Add(AgentCommand.Create());
        ChatCommand.Attach(root);
        root.Subcommands.Add(WorkerCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(SkillCommand.Create());
        root.Subcommands.Add(TrustCommand.Create());
        root.Subcommands.Add(UntrustCommand.Create());
        root.Subcommands.Add(OptimizeCommand.Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var root = Build();
        var parse = root.Parse(args);
        var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        if (parse.CommandResult.Command == root)
        {
            // The chat owns Ctrl+C: it cancels the running request, not the session. Left on, the parser's own
            // SIGINT handler would cancel the whole chat and make the process exit 130 after its grace period.
            config.ProcessTerminationTimeout = null;
        }

        if (parse.Errors.Count > 0)
        {
            // A usage error: exit 2, as the README says (the parser's own action exits 1).
            foreach (var error in parse.Errors.Select(e => e.Message).Distinct(StringComparer.Ordinal))
            {
                await Console.Error.WriteLineAsync($"memfun: {error}");
            }

            var command = string.Join(' ', parse.CommandResult.Command == root ? [] : CommandPath(parse.CommandResult));
            await Console.Error.WriteLineAsync($"Run 'memfun{(command.Length == 0 ? string.Empty : " " + command)} --help' for usage.");
            return 2;
        }

        try
        {
            return await parse.InvokeAsync(config);
        }
        catch (OperationCanceledException)
        {
            return 130;
        }
        catch (CliException ex)
        {
            await Console.Error.WriteLineAsync($"memfun: {ex.Message}");
            return ex.ExitCode;
        }
    }

    private static IEnumerable<string> CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new Stack<string>();
        for (var r = result; r?.Parent is System.CommandLine.Parsing.CommandResult parent; r = parent)
        {
            names.Push(r.Command.Name);
        }

        return names;
    }
}
