using System.CommandLine;
using Memfun.Engine.Trust;

namespace Memfun.McpServer.Cli;

/// <summary><c>memfun untrust DIR</c>: removes a folder from the trusted workspaces.</summary>
internal static class UntrustCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("folder") { Description = "The folder to stop trusting, as 'memfun trust --list' shows it." };
        var command = new Command("untrust", "Stop trusting a workspace folder.") { folder };
        command.SetAction(parse =>
        {
            var raw = parse.GetValue(folder) ?? string.Empty;
            bool removed;
            try
            {
                removed = WorkspaceTrustStore.Untrust(raw);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"Cannot write {WorkspaceTrustStore.FilePath}: {ex.Message}");
            }

            if (!removed)
            {
                throw new CliException($"'{raw}' is not in the trusted folders; 'memfun trust --list' shows them.");
            }

            var still = WorkspaceTrustStore.IsTrusted(raw) ? " It is still trusted through a trusted parent folder or MEMFUN_TRUSTED_WORKSPACES." : string.Empty;
            Console.Out.WriteLine($"No longer trusted: {WorkspaceTrustStore.Canonical(raw)}.{still}");
            return 0;
        });
        return command;
    }
}
