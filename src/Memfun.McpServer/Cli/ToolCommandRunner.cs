using System.Text.Json;
using Memfun.Engine.Llm;
using Memfun.McpServer.Hosting;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Cli;

/// <summary>
/// Runs one MCP tool of the in-process server from the command line (<c>memfun skill run</c>, <c>memfun agent run</c>):
/// progress on stderr, the tool's text (or <c>--json</c>: its structured content) on stdout.
/// </summary>
/// <remarks>
/// Exit codes, as for the solver commands: 0 done; 1 not done or a tool error; 2 usage error; 3 no model configured.
/// <paramref name="isDone"/> reads the structured result to tell done from not done.
/// </remarks>
internal static class ToolCommandRunner
{
    public static async Task<int> RunAsync(
        string workspace,
        string tool,
        Dictionary<string, object?> arguments,
        bool json,
        bool needsModel,
        Func<JsonElement?, int> exitCodeOf,
        CancellationToken cancellationToken)
    {
        var settings = new ServerSettings { Workspace = workspace, Configuration = CommonOptions.LoadConfiguration(workspace) };
        await using var server = await InProcessServer.StartAsync(settings, cancellationToken);
        if (needsModel)
        {
            try
            {
                server.Services.GetRequiredService<IChatClientFactory>().GetChatClient();
            }
            catch (LlmNotConfiguredException ex)
            {
                await Console.Error.WriteLineAsync($"memfun: {ex.Message}");
                return 3;
            }
        }

        CallToolResult result;
        try
        {
            var progress = new Progress(json);
            await server.Client.ListToolsAsync(cancellationToken: cancellationToken); // The agents' tools are registered on first listing.
            result = await server.Client.CallToolAsync(tool, arguments, progress, cancellationToken: cancellationToken);
        }
        catch (McpException ex)
        {
            throw new CliException(ex.Message, 1);
        }

        var text = string.Join("\n", result.Content.OfType<TextContentBlock>().Select(b => b.Text));
        if (result.IsError == true)
        {
            if (json)
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(new { error = text }));
            }

            await Console.Error.WriteLineAsync($"memfun: {text}");
            return 1;
        }

        if (json)
        {
            await Console.Out.WriteLineAsync(result.StructuredContent is { } s
                ? JsonSerializer.Serialize(s, new JsonSerializerOptions { WriteIndented = true })
                : JsonSerializer.Serialize(new { text }));
        }
        else
        {
            await Console.Out.WriteLineAsync(text);
        }

        return exitCodeOf(result.StructuredContent);
    }

    /// <summary>Writes each progress notification to stderr (unless the output is JSON for a script).</summary>
    private sealed class Progress(bool quiet) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value)
        {
            if (!quiet)
            {
                Console.Error.WriteLine($"[{value.Progress}{(value.Total is { } t ? "/" + t : string.Empty)}] {value.Message}");
            }
        }
    }
}
