namespace Memfun.McpServer.Mcp;

/// <summary>
/// Declares a tool's output schema as one compact shape: only the named top-level properties of the result type
/// (<see cref="Hosting.ToolSchemaCompaction.Select"/>). The structured result still carries the whole value; a JSON
/// Schema object accepts the properties it does not list.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
internal sealed class OutputShapeAttribute(params string[] properties) : Attribute
{
    /// <summary>The result's properties the schema declares, in order (JSON names).</summary>
    public IReadOnlyList<string> Properties { get; } = properties;
}
