namespace Memfun.McpServer.Hosting;

/// <summary>What <c>memfun serve</c> was asked to do, after configuration and flags are merged.</summary>
internal sealed record ServerSettings
{
    /// <summary>The primary workspace root (absolute).</summary>
    public required string Workspace { get; init; }

    /// <summary>Serve Streamable HTTP instead of stdio.</summary>
    public bool Http { get; init; }

    /// <summary>The HTTP listen URL(s); default <c>http://127.0.0.1:8080</c>.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:8080";

    /// <summary>Bearer token required on HTTP requests (required for a non-loopback bind).</summary>
    public string? Token { get; init; }

    /// <summary>Extra hosts accepted in the Host header for a non-loopback bind.</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>After stdin closes, how long to wait for the next answer to requests already received (default 5 s).</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The toolsets served to hosts (<c>--toolsets</c>, <c>[mcp] toolsets</c>); every one by default.</summary>
    public Toolsets Toolsets { get; init; } = Toolsets.Everything;

    /// <summary>Serve the MCP conformance suite's diagnostic tools (hidden flag; tests only).</summary>
    public bool ConformanceFixtures { get; init; }
    /// <summary>The layered configuration (memfun.toml, ~/.memfun, MEMFUN_* variables); null in minimal hosts.</summary>
    public Microsoft.Extensions.Configuration.IConfiguration? Configuration { get; init; }

    /// <summary>Minimum log level written to stderr.</summary>
    public Microsoft.Extensions.Logging.LogLevel LogLevel { get; init; } = Microsoft.Extensions.Logging.LogLevel.Warning;
}
