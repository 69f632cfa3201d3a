namespace Memfun.McpServer.Tests.Infrastructure.Hosts;

/// <summary>
/// One tool result as a host handed it to its model: the tool's name as the host calls it, the text the model
/// reads, and whether the host marked it as an error (<see langword="null"/> when its wire format has no such mark).
/// </summary>
public sealed record ObservedToolResult(string Name, string Text, bool? IsError);
