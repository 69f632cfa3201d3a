using Memfun.Engine.Runtime;
using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Runtime.Stored;

namespace Memfun.Engine.Tests.Runtime.Contracts;

/// <summary>The <see cref="ISessionStore"/> contract, run unchanged on every tier.</summary>
public abstract class SessionStoreContract : ContractTestBase
{
    private protected SessionStoreContract(TierHarness harness) : base(harness) { }

    private async Task<ISessionStore> StoreAsync() => new StoredSessionStore((await OpenAsync()).StateStore(RuntimeAreas.Sessions));

    [Fact]
    public async Task Turns_are_numbered_in_append_order_and_read_back_in_order()
    {
        var sessions = await StoreAsync();
        var info = await sessions.CreateAsync("s1", "Fix the parser", Ct);
        Assert.Equal(("s1", "Fix the parser", 0), (info.Id, info.Title, info.TurnCount));
        await sessions.AppendTurnAsync("s1", "user", "The parser crashes on empty input", Ct);
        await sessions.AppendTurnAsync("s1", "assistant", "I will add a guard for empty input", Ct);
        var turns = await sessions.GetTurnsAsync("s1", Ct);
        Assert.Equal([(1, "user"), (2, "assistant")], turns.Select(t => (t.Number, t.Role)));
        Assert.Equal(2, (await sessions.GetAsync("s1", Ct))!.TurnCount);
        Assert.Equal("Fix the parser", (await sessions.CreateAsync("s1", "ignored", Ct)).Title);
    }

    [Fact]
    public async Task Concurrent_appends_get_distinct_numbers()
    {
        var sessions = await StoreAsync();
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () => await sessions.AppendTurnAsync("busy", "user", $"turn {i}", Ct))));
        var turns = await sessions.GetTurnsAsync("busy", Ct);
        Assert.Equal(Enumerable.Range(1, 20), turns.Select(t => t.Number));
        Assert.Equal(20, turns.Select(t => t.Content).Distinct().Count());
    }

    [Fact]
    public async Task Search_finds_turns_by_their_words_best_match_first_across_sessions()
    {
        var sessions = await StoreAsync();
        await sessions.AppendTurnAsync("a", "user", "How do I configure the NATS backend?", Ct);
        await sessions.AppendTurnAsync("a", "assistant", "Set tier to nats and the nats url in the backend section", Ct);
        await sessions.AppendTurnAsync("b", "user", "Unrelated question about cooking pasta", Ct);
        var hits = await sessions.SearchAsync("nats backend", 10, Ct);
        Assert.Equal(2, hits.Count);
        Assert.All(hits, h => Assert.Equal("a", h.SessionId));
        Assert.Empty(await sessions.SearchAsync("kubernetes", 10, Ct));
        Assert.Equal(["a", "b"], (await sessions.ListAsync(Ct)).Select(s => s.Id).Order());
    }

    [Fact]
    public async Task Delete_removes_a_session_and_its_turns()
    {
        var sessions = await StoreAsync();
        await sessions.AppendTurnAsync("doomed", "user", "bye", Ct);
        Assert.True(await sessions.DeleteAsync("doomed", Ct));
        Assert.Null(await sessions.GetAsync("doomed", Ct));
        Assert.Empty(await sessions.GetTurnsAsync("doomed", Ct));
        Assert.Empty(await sessions.SearchAsync("bye", 10, Ct));
    }
}
