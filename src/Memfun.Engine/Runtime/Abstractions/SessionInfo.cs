namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>A conversation session.</summary>
public sealed record SessionInfo(string Id, string Title, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int TurnCount);
