namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>One turn of a session.</summary>
public sealed record SessionTurn(string SessionId, int Number, string Role, string Content, DateTimeOffset At);
