using System.Globalization;
using System.Text.RegularExpressions;
using Memfun.Engine.Runtime.Abstractions;

namespace Memfun.Engine.Runtime.Stored;

/// <summary>Sessions on a state store: <c>{id}/meta</c> holds the session (its revision numbers the turns),
/// <c>{id}/t/{n}</c> each turn.</summary>
internal sealed partial class StoredSessionStore(IStateStore store, TimeProvider? time = null) : ISessionStore
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async ValueTask<SessionInfo> CreateAsync(string sessionId, string title, CancellationToken cancellationToken = default)
    {
        CheckId(sessionId);
        ArgumentNullException.ThrowIfNull(title);
        var now = _time.GetUtcNow();
        var info = new SessionInfo(sessionId, title, now, now, 0);
        if (await store.TryUpdateAsync(MetaKey(sessionId), StoredJson.Write(info), 0, null, cancellationToken).ConfigureAwait(false) is not null)
        {
            return info;
        }

        return (await GetAsync(sessionId, cancellationToken).ConfigureAwait(false))!;
    }

    public async ValueTask<SessionInfo?> GetAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        CheckId(sessionId);
        var entry = await store.GetAsync(MetaKey(sessionId), cancellationToken).ConfigureAwait(false);
        return entry is null ? null : StoredJson.Read<SessionInfo>(entry.Value);
    }

    public async ValueTask<IReadOnlyList<SessionInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        var list = new List<SessionInfo>();
        await foreach (var entry in store.ListAsync("", cancellationToken).ConfigureAwait(false))
        {
            if (entry.Key.EndsWith("/meta", StringComparison.Ordinal))
            {
                list.Add(StoredJson.Read<SessionInfo>(entry.Value));
            }
        }

        return [.. list.OrderByDescending(s => s.UpdatedAt)];
    }

    public async ValueTask<SessionTurn> AppendTurnAsync(string sessionId, string role, string content, CancellationToken cancellationToken = default)
    {
        CheckId(sessionId);
        ArgumentException.ThrowIfNullOrEmpty(role);
        ArgumentNullException.ThrowIfNull(content);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = _time.GetUtcNow();
            var entry = await store.GetAsync(MetaKey(sessionId), cancellationToken).ConfigureAwait(false);
            var info = entry is null ? new SessionInfo(sessionId, "", now, now, 0) : StoredJson.Read<SessionInfo>(entry.Value);
            var next = info with { UpdatedAt = now, TurnCount = info.TurnCount + 1 };
            if (await store.TryUpdateAsync(MetaKey(sessionId), StoredJson.Write(next), entry?.Revision ?? 0, null, cancellationToken).ConfigureAwait(false) is null)
            {
                continue; // another writer took this number; read again
            }

            var turn = new SessionTurn(sessionId, next.TurnCount, role, content, now);
            await store.PutAsync(TurnKey(sessionId, turn.Number), StoredJson.Write(turn), null, cancellationToken).ConfigureAwait(false);
            return turn;
        }
    }

    public async ValueTask<IReadOnlyList<SessionTurn>> GetTurnsAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        CheckId(sessionId);
        var list = new List<SessionTurn>();
        await foreach (var entry in store.ListAsync(sessionId + "/t/", cancellationToken).ConfigureAwait(false))
        {
            list.Add(StoredJson.Read<SessionTurn>(entry.Value));
        }

        return [.. list.OrderBy(t => t.Number)];
    }

    public async ValueTask<IReadOnlyList<SessionTurn>> SearchAsync(string query, int limit = 20, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var terms = TextTokens.Of(query);
        if (terms.Count == 0 || limit <= 0)
        {
            return [];
        }

        var turns = new List<SessionTurn>();
        await foreach (var entry in store.ListAsync("", cancellationToken).ConfigureAwait(false))
        {
            if (entry.Key.Contains("/t/", StringComparison.Ordinal))
            {
                turns.Add(StoredJson.Read<SessionTurn>(entry.Value));
            }
        }

        var scores = Bm25.Score([.. turns.Select(t => TextTokens.Of(t.Content))], terms);
        return [.. turns.Select((t, i) => (t, s: scores[i])).Where(x => x.s > 0)
                        .OrderByDescending(x => x.s).ThenByDescending(x => x.t.At).Take(limit).Select(x => x.t)];
    }

    public async ValueTask<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        CheckId(sessionId);
        var keys = new List<string>();
        await foreach (var entry in store.ListAsync(sessionId + "/", cancellationToken).ConfigureAwait(false))
        {
            keys.Add(entry.Key);
        }

        var existed = false;
        foreach (var key in keys)
        {
            existed |= await store.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        }

        return existed;
    }

    private static string MetaKey(string id) => id + "/meta";

    private static string TurnKey(string id, int n) => id + "/t/" + n.ToString("D8", CultureInfo.InvariantCulture);

    private static void CheckId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!IdPattern().IsMatch(id))
        {
            throw new ArgumentException($"The session id '{id}' is not valid: use 1–128 letters, digits, '-', '_' or '.'.", nameof(id));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,128}$")]
    private static partial Regex IdPattern();
}
