using Memfun.Engine.Runtime;
using Memfun.Engine.Runtime.Abstractions;

namespace Memfun.Engine.Tests.Runtime.Contracts;

/// <summary>The <see cref="IStateStore"/> contract, run unchanged on every tier.</summary>
public abstract class StateStoreContract : ContractTestBase
{
    private protected StateStoreContract(TierHarness harness) : base(harness) { }

    private async Task<IStateStore> StoreAsync() => (await OpenAsync()).StateStore(RuntimeAreas.State);

    [Fact]
    public async Task Put_get_and_delete_round_trip_with_growing_revisions()
    {
        var store = await StoreAsync();
        Assert.Null(await store.GetAsync("config/a", Ct));
        var r1 = await store.PutAsync("config/a", Bytes("one"), cancellationToken: Ct);
        var r2 = await store.PutAsync("config/a", Bytes("two"), cancellationToken: Ct);
        Assert.True(r2 > r1 && r1 > 0);
        var entry = await store.GetAsync("config/a", Ct);
        Assert.Equal(("two", r2), (entry!.Text, entry.Revision));
        Assert.True(await store.DeleteAsync("config/a", Ct));
        Assert.False(await store.DeleteAsync("config/a", Ct));
        Assert.Null(await store.GetAsync("config/a", Ct));
    }

    [Fact]
    public async Task Compare_and_set_writes_only_on_the_expected_revision()
    {
        var store = await StoreAsync();
        var created = await store.TryUpdateAsync("lock", Bytes("mine"), 0, cancellationToken: Ct);
        Assert.NotNull(created);
        Assert.Null(await store.TryUpdateAsync("lock", Bytes("theirs"), 0, cancellationToken: Ct));
        Assert.Null(await store.TryUpdateAsync("lock", Bytes("stale"), created.Value + 1000, cancellationToken: Ct));
        var updated = await store.TryUpdateAsync("lock", Bytes("next"), created.Value, cancellationToken: Ct);
        Assert.NotNull(updated);
        Assert.Equal("next", (await store.GetAsync("lock", Ct))!.Text);
        await store.DeleteAsync("lock", Ct);
        Assert.NotNull(await store.TryUpdateAsync("lock", Bytes("again"), 0, cancellationToken: Ct));
    }

    [Fact]
    public async Task Concurrent_compare_and_set_increments_lose_no_update()
    {
        var store = await StoreAsync();
        await store.PutAsync("counter", Bytes("0"), cancellationToken: Ct);
        async Task Increment(int times)
        {
            for (var i = 0; i < times; i++)
            {
                while (true)
                {
                    var e = (await store.GetAsync("counter", Ct))!;
                    var next = int.Parse(e.Text, System.Globalization.CultureInfo.InvariantCulture) + 1;
                    if (await store.TryUpdateAsync("counter", Bytes(next.ToString(System.Globalization.CultureInfo.InvariantCulture)), e.Revision, cancellationToken: Ct) is not null)
                    {
                        break;
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Increment(15))));
        Assert.Equal("60", (await store.GetAsync("counter", Ct))!.Text);
    }

    [Fact]
    public async Task List_returns_the_prefix_in_key_order_with_any_key_characters()
    {
        var store = await StoreAsync();
        string[] keys = ["p/b key", "p/a:1", "p/a.2", "p/ü=ß", "pz", "q/other"];
        foreach (var k in keys)
        {
            await store.PutAsync(k, Bytes("v:" + k), cancellationToken: Ct);
        }

        var listed = await store.ListAsync("p/", Ct).ToListAsync(Ct);
        Assert.Equal(["p/a.2", "p/a:1", "p/b key", "p/ü=ß"], listed.Select(e => e.Key));
        Assert.All(listed, e => Assert.Equal("v:" + e.Key, e.Text));
        Assert.Equal(6, (await store.ListAsync("", Ct).ToListAsync(Ct)).Count);
    }

    [Fact]
    public async Task An_entry_with_a_ttl_disappears_after_it()
    {
        var store = await StoreAsync();
        // Wide margins: read back well inside the lifetime, then wait well past it (a loaded machine is slow).
        await store.PutAsync("short", Bytes("x"), TimeSpan.FromSeconds(2), Ct);
        await store.PutAsync("long", Bytes("y"), TimeSpan.FromMinutes(5), Ct);
        Assert.NotNull(await store.GetAsync("short", Ct));
        await Task.Delay(3000, Ct);
        Assert.Null(await store.GetAsync("short", Ct));
        Assert.Equal(["long"], (await store.ListAsync("", Ct).ToListAsync(Ct)).Select(e => e.Key));
        Assert.NotNull(await store.TryUpdateAsync("short", Bytes("reborn"), 0, cancellationToken: Ct));
    }

    [Fact]
    public async Task Watch_sees_puts_and_deletes_under_its_prefix_only()
    {
        var store = await StoreAsync();
        await store.PutAsync("w/before", Bytes("old"), cancellationToken: Ct);
        await using var watch = await store.WatchAsync("w/", Ct);
        await store.PutAsync("other/x", Bytes("no"), cancellationToken: Ct);
        await store.PutAsync("w/a", Bytes("1"), cancellationToken: Ct);
        await store.DeleteAsync("w/before", Ct);
        var changes = await TakeAsync(watch, 2);
        Assert.Equal("w/a", changes[0].Key);
        Assert.Equal("1", changes[0].Entry!.Text);
        Assert.Equal("w/before", changes[1].Key);
        Assert.True(changes[1].IsDelete);
    }

    [Fact]
    public async Task A_key_with_a_control_character_is_refused()
    {
        var store = await StoreAsync();
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.PutAsync("bad\nkey", Bytes("x"), cancellationToken: Ct));
    }
}
