using System.CommandLine;
using Memfun.McpServer.Configuration;
using Microsoft.Extensions.Configuration;

namespace Memfun.McpServer.Cli;

/// <summary>Options shared by several commands, and the workspace/configuration they resolve to.</summary>
internal static class CommonOptions
{
    public static Option<string?> Workspace() => new("--workspace", "-w")
    {
        Description = "The workspace root every tool is confined to (default: the current directory, or MEMFUN_WORKSPACE).",
    };

    /// <summary>Resolves the workspace folder: flag, then MEMFUN_WORKSPACE, then the current directory.</summary>
    public static string ResolveWorkspace(string? flag)
    {
        var raw = flag ?? Environment.GetEnvironmentVariable("MEMFUN_WORKSPACE") ?? Directory.GetCurrentDirectory();
        var full = Path.GetFullPath(raw);
        if (!Directory.Exists(full))
        {
            throw new CliException($"The workspace '{raw}' does not exist. Create it or pass an existing folder with --workspace.");
        }

        return full;
    }

    public static IConfigurationRoot LoadConfiguration(string workspace)
    {
        try
        {
            return MemfunConfiguration.Build(workspace);
        }
        catch (InvalidOperationException ex)
        {
            throw new CliException(ex.Message);
        }
    }
}
