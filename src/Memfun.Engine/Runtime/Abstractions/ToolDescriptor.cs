namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>A tool as other nodes see it.</summary>
/// <param name="Name">Unique name (letters, digits, <c>_</c>, <c>-</c>, <c>.</c>).</param>
/// <param name="Description">What it does, for a model.</param>
/// <param name="InputSchema">Its arguments as a JSON schema (checked to be a JSON object).</param>
/// <param name="Node">The node (worker, server) that serves it.</param>
public sealed record ToolDescriptor(string Name, string Description, string InputSchema, string Node);
