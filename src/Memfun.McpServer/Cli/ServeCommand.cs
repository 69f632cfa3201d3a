using System.CommandLine;
using Memfun.McpServer.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Memfun.McpServer.Cli;

/// <summary><c>memfun serve</c>: the MCP server over stdio (default) or Streamable HTTP.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var stdio = new Option<bool>("--stdio") { Description = "Serve MCP over stdin/stdout (the default)." };
        var http = new Option<bool>("--http") { Description = "Serve MCP over Streamable HTTP at /mcp." };
        var urls = new Option<string?>("--urls") { Description = "HTTP listen URL(s), ';'-separated (default http://127.0.0.1:8080). A non-loopback address needs --token." };
        var token = new Option<string?>("--token") { Description = "Bearer token required on every HTTP request (or MEMFUN_HTTP_TOKEN). Required for a non-loopback bind." };
        var allowedHosts = new Option<string[]>("--allowed-host") { Description = "Extra Host header value accepted over HTTP (repeatable), for a non-loopback bind.", AllowMultipleArgumentsPerToken = true };
        var logLevel = new Option<LogLevel?>("--log-level") { Description = "Minimum level of the log lines written to stderr (default Warning)." };
        var workspace = CommonOptions.Workspace();
        var drain = new Option<double?>("--drain-timeout") { Description = "Seconds to wait for the next answer to requests already received after stdin closes (default 5).", Hidden = true };
        var open = new Option<bool>("--open") { Description = "Open the project's dashboard in the browser once it is served (config [dashboard] open)." };
        var toolsets = new Option<string?>("--toolsets")
        {
            Description = $"Serve only these toolsets, comma-separated: {string.Join(",", Toolsets.All)} (default all; config [mcp] toolsets). Agents inside the server still reach every tool.",
        };
        var fixtures = new Option<bool>("--conformance-fixtures") { Description = "Serve the MCP conformance suite's diagnostic tools (tests only).", Hidden = true };

        var command = new Command("serve", "Run the MCP server (stdio by default; --http for Streamable HTTP).")
        {
            stdio, http, urls, token, allowedHosts, logLevel, workspace, toolsets, open, fixtures, drain,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(stdio) && parse.GetValue(http))
            {
                throw new CliException("Choose one transport: --stdio or --http.");
            }

            StartupTrace.Mark("serve command");
            var root = CommonOptions.ResolveWorkspace(parse.GetValue(workspace));
            IConfiguration config = CommonOptions.LoadConfiguration(root);
            StartupTrace.Mark("configuration loaded");
            if (parse.GetValue(open))
            {
                config = new ConfigurationBuilder().AddConfiguration(config).AddInMemoryCollection([new("dashboard:open", "true")]).Build();
            }

            Toolsets served;
            try
            {
                served = Toolsets.Parse(parse.GetValue(toolsets) ?? Toolsets.FromConfiguration(config));
            }
            catch (ArgumentException ex)
            {
                throw new CliException(ex.Message);
            }

            var settings = new ServerSettings
            {
                Workspace = root,
                Toolsets = served,
                Configuration = config,
                Http = parse.GetValue(http),
                Urls = parse.GetValue(urls) ?? config["http:urls"] ?? "http://127.0.0.1:8080",
                Token = parse.GetValue(token) ?? Environment.GetEnvironmentVariable("MEMFUN_HTTP_TOKEN") ?? config["http:token"],
                AllowedHosts = parse.GetValue(allowedHosts) ?? [],
                ConformanceFixtures = parse.GetValue(fixtures),
                DrainTimeout = TimeSpan.FromSeconds(Math.Clamp(parse.GetValue(drain) ?? 5, 0.1, 300)),
                LogLevel = parse.GetValue(logLevel) ?? (Enum.TryParse<LogLevel>(config["log:level"], true, out var l) ? l : LogLevel.Warning),
            };

            return settings.Http
                ? await HttpServer.RunAsync(settings, cancellationToken)
                : await StdioServer.RunAsync(settings, cancellationToken);
        });

        return command;
    }
}
