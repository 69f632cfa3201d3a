using System.CommandLine;
using Memfun.McpServer.Hosting;

namespace Memfun.McpServer.Cli;

/// <summary><c>memfun</c> with no sub-command: the interactive chat in the workspace.</summary>
internal static class ChatCommand
{
    public static void Attach(RootCommand root)
    {
        var workspace = CommonOptions.Workspace();
        root.Options.Add(workspace);
        root.SetAction(async (parse, cancellationToken) =>
        {
            var folder = CommonOptions.ResolveWorkspace(parse.GetValue(workspace));
            var settings = new ServerSettings { Workspace = folder, Configuration = CommonOptions.LoadConfiguration(folder) };
            await using var server = await InProcessServer.StartAsync(settings, cancellationToken);
            return await new ChatShell(server, Console.In, Console.Out, Console.Error).RunAsync(cancellationToken);
        });
    }
}
