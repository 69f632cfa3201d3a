using System.CommandLine;
using Memfun.Engine.Trust;

namespace Memfun.McpServer.Cli;

/// <summary>
/// <c>memfun trust [DIR]</c>: trusts a workspace (its memfun.toml, agents, skills, MEMORY.md and checks that run its code);
/// <c>memfun trust --list</c> prints the trusted folders.
/// </summary>
internal static class TrustCommand
{
    public static Command Create()
    {
        var folder = new Argument<string?>("folder") { Description = "The workspace folder to trust (default: the current directory). Folders below it are trusted too.", Arity = ArgumentArity.ZeroOrOne };
        var list = new Option<bool>("--list") { Description = "Print the trusted folders instead." };
        var command = new Command("trust", "Trust a workspace: its memfun.toml, agents/, skills/ and MEMORY.md are used and its linters/builds may run. Only trust code whose authors you trust.")
        {
            folder, list,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(list))
            {
                foreach (var f in WorkspaceTrustStore.List())
                {
                    Console.Out.WriteLine(f);
                }

                foreach (var f in WorkspaceTrustStore.Environmental())
                {
                    Console.Out.WriteLine($"{f}  ({WorkspaceTrustStore.EnvironmentVariable})");
                }

                return 0;
            }

            var raw = parse.GetValue(folder) ?? Directory.GetCurrentDirectory();
            string trusted;
            try
            {
                trusted = WorkspaceTrustStore.Trust(raw);
            }
            catch (DirectoryNotFoundException)
            {
                throw new CliException($"The folder '{raw}' does not exist; pass an existing workspace folder.");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"Cannot write {WorkspaceTrustStore.FilePath}: {ex.Message}");
            }

            Console.Out.WriteLine($"Trusted {trusted} (in {WorkspaceTrustStore.FilePath}). A running server picks this up when restarted.");
            return 0;
        });
        return command;
    }
}
