using Memfun.Engine.Runtime;
using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Runtime.Stored;

namespace Memfun.Engine.Tests.Runtime.Contracts;

/// <summary>The <see cref="IKnowledgeBase"/> contract, run unchanged on every tier.</summary>
public abstract class KnowledgeBaseContract : ContractTestBase
{
    private protected KnowledgeBaseContract(TierHarness harness) : base(harness) { }

    private async Task<IKnowledgeBase> KbAsync() => new StoredKnowledgeBase((await OpenAsync()).StateStore(RuntimeAreas.Knowledge));

    private static KnowledgeDocument Doc(string id, string text, string kind) => new(id, text, new Dictionary<string, string> { ["kind"] = kind });

    [Fact]
    public async Task Search_ranks_the_most_relevant_document_first_and_honours_the_metadata_filter()
    {
        var kb = await KbAsync();
        await kb.UpsertAsync(Doc("d1", "Redis streams with consumer groups reclaim pending entries", "note"), Ct);
        await kb.UpsertAsync(Doc("d2", "Consumer groups in Redis: XREADGROUP, XACK, XAUTOCLAIM. Redis redis redis.", "doc"), Ct);
        await kb.UpsertAsync(Doc("d3", "SQLite in WAL mode lets readers run beside one writer", "doc"), Ct);
        var hits = await kb.SearchAsync("redis", 10, cancellationToken: Ct);
        Assert.Equal(["d2", "d1"], hits.Select(h => h.Document.Id));
        Assert.True(hits[0].Score > hits[1].Score);
        var docsOnly = await kb.SearchAsync("redis sqlite", 10, new Dictionary<string, string> { ["kind"] = "doc" }, Ct);
        Assert.Equal(["d2", "d3"], docsOnly.Select(h => h.Document.Id).Order());
        Assert.Empty(await kb.SearchAsync("postgres", 10, cancellationToken: Ct));
    }

    [Fact]
    public async Task Upsert_replaces_and_delete_removes_a_document()
    {
        var kb = await KbAsync();
        await kb.UpsertAsync(Doc("x", "first text", "a"), Ct);
        await kb.UpsertAsync(Doc("x", "second text", "b"), Ct);
        var doc = await kb.GetAsync("x", Ct);
        Assert.Equal(("second text", "b"), (doc!.Text, doc.Metadata["kind"]));
        Assert.True(await kb.DeleteAsync("x", Ct));
        Assert.Null(await kb.GetAsync("x", Ct));
        Assert.Empty(await kb.SearchAsync("second", 10, cancellationToken: Ct));
    }
}
