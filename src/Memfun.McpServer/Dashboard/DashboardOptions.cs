using Microsoft.Extensions.Configuration;

namespace Memfun.McpServer.Dashboard;

/// <summary>Settings of the live dashboard (<c>[dashboard]</c> in memfun.toml, <c>MEMFUN_DASHBOARD__*</c>).</summary>
internal sealed class DashboardOptions
{
    /// <summary>Whether <c>memfun serve</c> starts or joins the project's dashboard (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>First port tried (default 8081).</summary>
    [ConfigurationKeyName("port_start")]
    public int PortStart { get; set; } = 8081;

    /// <summary>Last port tried (default 8099).</summary>
    [ConfigurationKeyName("port_end")]
    public int PortEnd { get; set; } = 8099;

    /// <summary>Open the page in a browser when it starts (default false; <c>--open</c>).</summary>
    public bool Open { get; set; }
}
