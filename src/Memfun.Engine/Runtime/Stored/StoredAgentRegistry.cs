using System.Text.RegularExpressions;
using Memfun.Engine.Runtime.Abstractions;

namespace Memfun.Engine.Runtime.Stored;

/// <summary>The agent registry on a state store: one entry per agent whose TTL is its stale-after time.</summary>
internal sealed partial class StoredAgentRegistry(IStateStore store, TimeProvider? time = null) : IAgentRegistry
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async ValueTask<AgentInfo> RegisterAsync(AgentRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        CheckId(registration.Id);
        if (registration.StaleAfter <= TimeSpan.Zero)
        {
            throw new ArgumentException("StaleAfter must be positive.", nameof(registration));
        }

        var now = _time.GetUtcNow();
        var existing = await store.GetAsync(registration.Id, cancellationToken).ConfigureAwait(false);
        var info = new AgentInfo(
            registration.Id,
            registration.Name,
            [.. registration.Capabilities],
            registration.Metadata is { } m ? new Dictionary<string, string>(m, StringComparer.Ordinal) : new Dictionary<string, string>(),
            existing is null ? now : StoredJson.Read<AgentInfo>(existing.Value).RegisteredAt,
            now,
            registration.StaleAfter);
        await store.PutAsync(info.Id, StoredJson.Write(info), info.StaleAfter, cancellationToken).ConfigureAwait(false);
        return info;
    }

    public async ValueTask<bool> HeartbeatAsync(string agentId, CancellationToken cancellationToken = default)
    {
        CheckId(agentId);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var entry = await store.GetAsync(agentId, cancellationToken).ConfigureAwait(false);
            if (entry is null)
            {
                return false;
            }

            var info = StoredJson.Read<AgentInfo>(entry.Value) with { LastHeartbeat = _time.GetUtcNow() };
            if (await store.TryUpdateAsync(agentId, StoredJson.Write(info), entry.Revision, info.StaleAfter, cancellationToken).ConfigureAwait(false) is not null)
            {
                return true;
            }
        }

        return true;
    }

    public ValueTask<bool> UnregisterAsync(string agentId, CancellationToken cancellationToken = default)
    {
        CheckId(agentId);
        return store.DeleteAsync(agentId, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<AgentInfo>> DiscoverAsync(IReadOnlyCollection<string> capabilities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        var all = await ListAsync(cancellationToken).ConfigureAwait(false);
        return [.. all.Where(a => capabilities.All(c => a.Capabilities.Contains(c, StringComparer.OrdinalIgnoreCase)))];
    }

    public async ValueTask<IReadOnlyList<AgentInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var list = new List<AgentInfo>();
        await foreach (var entry in store.ListAsync("", cancellationToken).ConfigureAwait(false))
        {
            var info = StoredJson.Read<AgentInfo>(entry.Value);
            if (info.LastHeartbeat + info.StaleAfter > now)
            {
                list.Add(info);
            }
        }

        return list;
    }

    private static void CheckId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!IdPattern().IsMatch(id))
        {
            throw new ArgumentException($"The agent id '{id}' is not valid: use 1–128 letters, digits, '-', '_' or '.'.", nameof(id));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,128}$")]
    private static partial Regex IdPattern();
}
