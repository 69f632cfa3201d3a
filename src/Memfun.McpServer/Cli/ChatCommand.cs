using System.CommandLine;
using System.Runtime.InteropServices;
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

            // Ctrl+C belongs to the shell: it cancels the running request, not the session. SIGTERM ends the session:
            // whatever runs is cancelled, and the prompt's blocking read is abandoned.
            using var terminate = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                terminate.Cancel();
            });
            await using var server = await InProcessServer.StartAsync(settings, terminate.Token);
            // Console.In reads synchronously even through ReadLineAsync, so the shell gets a thread of its own.
            var shell = Task.Run(() => new ChatShell(server, Console.In, Console.Out, Console.Error).RunAsync(terminate.Token), CancellationToken.None);
            await Task.WhenAny(shell, Task.Delay(Timeout.Infinite, terminate.Token)).ConfigureAwait(false);
            if (!terminate.IsCancellationRequested)
            {
                return await shell.ConfigureAwait(false);
            }

            await Task.WhenAny(shell, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
            return 143;
        });
    }
}
