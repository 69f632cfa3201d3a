using System.Diagnostics;
using System.Text.Json;
using Memfun.McpServer.Dashboard;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Cli;

/// <summary>
/// <c>memfun</c> with no arguments: a chat in the workspace. Each line is a request to the orchestrator, shown
/// with live progress (step, elapsed, tokens) and the operations applied; slash commands reach memory, agents,
/// workflows and the dashboard. Ctrl+C cancels the running request, not the session.
/// </summary>
internal sealed class ChatShell(InProcessServer server, TextReader input, TextWriter output, TextWriter error)
{
    private const string Help = """
        Type a request and press Enter: the orchestrator plans it, runs the specialist agents and applies their changes.
        Commands:
          /help                 this list
          /remember <text>      store a fact or preference in memory
          /memory               list what memory holds
          /forget <id|text>     remove memory entries (shows a preview before removing several)
          /context              rescan the workspace (code map)
          /agents               list the specialist agents
          /workflow [id]        show the last workflows, or one workflow's tasks
          /model [name]         show the model in use, or switch to another for this session
          /traces               list the RLM traces
          /clear                clear the screen
          /dashboard            the live dashboard's address
          /exit                 leave (Ctrl+D too); Ctrl+C cancels the running request
        """;

    private CancellationTokenSource? _running;
    private string? _modelOverride;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        Console.CancelKeyPress += OnCancel;
        try
        {
            await output.WriteLineAsync("memfun chat: type a request, /help for commands, /exit to leave.");
            while (!cancellationToken.IsCancellationRequested)
            {
                await output.WriteAsync("> ");
                await output.FlushAsync(cancellationToken);
                var line = await input.ReadLineAsync(cancellationToken);
                if (line is null)
                {
                    await output.WriteLineAsync();
                    return 0;
                }

                line = line.Trim();
                if (line.Length == 0)
                {
                    continue;
                }

                if (line is "/exit" or "/quit")
                {
                    return 0;
                }

                try
                {
                    if (line.StartsWith('/'))
                    {
                        await CommandAsync(line, cancellationToken);
                    }
                    else
                    {
                        await RequestAsync(line, cancellationToken);
                    }
                }
                catch (McpException ex)
                {
                    await error.WriteLineAsync("error: " + ex.Message);
                }
            }

            return 0;
        }
        finally
        {
            Console.CancelKeyPress -= OnCancel;
        }
    }

    private void OnCancel(object? sender, ConsoleCancelEventArgs e)
    {
        var running = _running;
        if (running is not null)
        {
            e.Cancel = true;
            running.Cancel();
        }
        else
        {
            e.Cancel = true;
            error.WriteLine("(nothing is running; type /exit or press Ctrl+D to leave)");
        }
    }

    private async Task RequestAsync(string request, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _running = cts;
        var watch = Stopwatch.StartNew();
        var progress = new Progress<ProgressNotificationValue>(p =>
            error.WriteLine($"  [{watch.Elapsed.TotalSeconds,5:F1}s] {p.Message ?? $"step {p.Progress}"}"));
        try
        {
            var args = new Dictionary<string, object?> { ["task"] = request };
            var result = await server.Client.CallToolAsync("orchestrate", args, progress, cancellationToken: cts.Token);
            await output.WriteLineAsync(Text(result));
            await output.WriteLineAsync($"({watch.Elapsed.TotalSeconds:F1}s)");
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync($"cancelled after {watch.Elapsed.TotalSeconds:F1}s; nothing more will be applied.");
        }
        finally
        {
            _running = null;
        }
    }

    private async Task CommandAsync(string line, CancellationToken cancellationToken)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var command = space < 0 ? line : line[..space];
        var rest = space < 0 ? string.Empty : line[(space + 1)..].Trim();
        switch (command)
        {
            case "/help":
                await output.WriteLineAsync(Help);
                break;
            case "/remember":
                if (await RequireAsync(rest, "/remember <text>"))
                {
                    await CallAsync("remember", new() { ["text"] = rest }, cancellationToken);
                }

                break;
            case "/memory":
                await CallAsync("memory_list", [], cancellationToken);
                break;
            case "/forget":
                if (await RequireAsync(rest, "/forget <id or text>"))
                {
                    await CallAsync("forget", new() { ["target"] = rest }, cancellationToken);
                }

                break;
            case "/context":
                await CallAsync("code_map", new() { ["max_bytes"] = 4000 }, cancellationToken);
                break;
            case "/agents":
                await CallAsync("list_agents", [], cancellationToken, ChatTables.Agents);
                break;
            case "/workflow":
                await CallAsync("workflow_status", rest.Length > 0 ? new() { ["id"] = rest } : [], cancellationToken, ChatTables.Workflow);
                break;
            case "/model":
                if (rest.Length > 0)
                {
                    _modelOverride = rest;
                    Environment.SetEnvironmentVariable("MEMFUN_LLM__MODEL", rest);
                    await output.WriteLineAsync($"model for this session: {rest}");
                }
                else
                {
                    var config = server.Services.GetService<Hosting.ServerSettings>()?.Configuration;
                    await output.WriteLineAsync($"provider: {config?["llm:provider"] ?? "(none: set [llm] in ~/.memfun/config.toml or run memfun init)"}; model: {_modelOverride ?? config?["llm:model"] ?? "(default)"}");
                }

                break;
            case "/traces":
                var traces = await server.Client.ReadResourceAsync("memfun://rlm/traces", cancellationToken: cancellationToken);
                var listing = string.Join("\n", traces.Contents.OfType<TextResourceContents>().Select(c => c.Text)).Trim();
                await output.WriteLineAsync(listing is "" or "[]" ? "no traces yet (rlm_run and repl sessions record them)" : listing);
                break;
            case "/clear":
                await output.WriteAsync("\u001b[2J\u001b[H");
                break;
            case "/dashboard":
                var url = server.Services.GetService<DashboardService>() is { } d ? await d.Url.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken) : null;
                await output.WriteLineAsync(url ?? "the dashboard is off ([dashboard] enabled = false) or found no free port");
                break;
            default:
                await error.WriteLineAsync($"Unknown command '{command}'. Type /help for the list of commands.");
                break;
        }
    }

    private async Task<bool> RequireAsync(string argument, string usage)
    {
        if (argument.Length == 0)
        {
            await error.WriteLineAsync($"usage: {usage}");
            return false;
        }

        return true;
    }

    private async Task CallAsync(string tool, Dictionary<string, object?> args, CancellationToken cancellationToken, Func<JsonElement, string?>? table = null)
    {
        var result = await server.Client.CallToolAsync(tool, args, cancellationToken: cancellationToken);
        var shown = result.IsError != true && table is not null && result.StructuredContent is { } structured
            ? table(JsonSerializer.SerializeToElement(structured))
            : null;
        await (result.IsError == true ? error : output).WriteLineAsync(shown ?? Text(result));
    }

    private static string Text(CallToolResult result)
    {
        var text = string.Join("\n", result.Content.OfType<TextContentBlock>().Select(b => b.Text));
        return text.Length > 0 || result.StructuredContent is null ? text : JsonSerializer.Serialize(result.StructuredContent);
    }
}
