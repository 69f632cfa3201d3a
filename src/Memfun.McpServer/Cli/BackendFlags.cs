using System.CommandLine;
using Memfun.Engine.Runtime;
using Memfun.Engine.Runtime.Abstractions;
using Microsoft.Extensions.Configuration;

namespace Memfun.McpServer.Cli;

/// <summary>The <c>--backend</c>, <c>--url</c> and <c>--prefix</c> flags of the commands that open the runtime (worker, eval).</summary>
internal sealed class BackendFlags
{
    public Option<string?> Backend { get; } = new("--backend", "-b") { Description = "Backend tier: nats, redis, sqlite or in-process (default: [backend] tier in ~/.memfun/config.toml, else sqlite)." };

    public Option<string?> Url { get; } = new("--url") { Description = "Server address for nats or redis (default: [backend.nats|redis] url)." };

    public Option<string?> Prefix { get; } = new("--prefix") { Description = "Name prefix of streams, buckets and keys (default memfun)." };

    public void AddTo(Command command)
    {
        command.Options.Add(Backend);
        command.Options.Add(Url);
        command.Options.Add(Prefix);
    }

    /// <summary>The runtime options: the <c>[backend]</c> configuration, then the flags.</summary>
    public RuntimeOptions Resolve(System.CommandLine.ParseResult parse, string root, IConfiguration config)
    {
        var options = new RuntimeOptions { Workspace = root };
        try
        {
            options.Bind(config.GetSection("backend"));
            if (parse.GetValue(Backend) is { } tier)
            {
                options.Tier = RuntimeOptions.ParseTier(tier);
            }
        }
        catch (RuntimeUnavailableException ex)
        {
            throw new CliException(ex.Message);
        }

        if (parse.GetValue(Url) is { } address)
        {
            if (options.Tier == RuntimeTier.Redis)
            {
                options.RedisUrl = address;
            }
            else if (options.Tier == RuntimeTier.Nats)
            {
                options.NatsUrl = address;
            }
            else
            {
                throw new CliException("--url applies to --backend nats or redis only.");
            }
        }

        options.Prefix = parse.GetValue(Prefix) ?? options.Prefix;
        return options;
    }
}
