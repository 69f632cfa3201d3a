namespace Memfun.McpServer.Mcp;

/// <summary>
/// The toolset (<see cref="Hosting.Toolsets"/>) the MCP tools or resources of a class belong to: served to a host
/// only when <c>memfun serve --toolsets</c> (or <c>[mcp] toolsets</c>) includes it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
internal sealed class ToolsetAttribute(string name) : Attribute
{
    /// <summary>The toolset's name, one of <see cref="Hosting.Toolsets.All"/>.</summary>
    public string Name { get; } = name;
}
