namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>Conversation sessions and their turns, searchable by text (what <c>search_history</c> reads).</summary>
/// <remarks>Turns of a session are numbered 1, 2, … in append order, also under concurrent appends.</remarks>
public interface ISessionStore
{
    /// <summary>Creates a session (or returns the existing one with that id).</summary>
    ValueTask<SessionInfo> CreateAsync(string sessionId, string title, CancellationToken cancellationToken = default);

    /// <summary>The session, or <see langword="null"/>.</summary>
    ValueTask<SessionInfo?> GetAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>Every session, most recently updated first.</summary>
    ValueTask<IReadOnlyList<SessionInfo>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Appends a turn; creates the session when missing. Returns the stored turn with its number.</summary>
    ValueTask<SessionTurn> AppendTurnAsync(string sessionId, string role, string content, CancellationToken cancellationToken = default);

    /// <summary>The session's turns in order (empty when it does not exist).</summary>
    ValueTask<IReadOnlyList<SessionTurn>> GetTurnsAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>Turns whose text contains the query's words (case-insensitive), best match first.</summary>
    ValueTask<IReadOnlyList<SessionTurn>> SearchAsync(string query, int limit = 20, CancellationToken cancellationToken = default);

    /// <summary>Deletes a session and its turns.</summary>
    ValueTask<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken = default);
}
