using Memfun.Engine.Runtime.Abstractions;

namespace Memfun.Engine.Runtime.Stored;

/// <summary>The knowledge base on a state store: one entry per document, BM25 ranking at query time.</summary>
/// <remarks>Search reads every document of the area: fine for thousands, not for millions (the memory layer indexes).</remarks>
internal sealed class StoredKnowledgeBase(IStateStore store) : IKnowledgeBase
{
    public async ValueTask UpsertAsync(KnowledgeDocument document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        RuntimeNames.ValidateKey(document.Id);
        await store.PutAsync(document.Id, StoredJson.Write(document), null, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<KnowledgeDocument?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        RuntimeNames.ValidateKey(id);
        var entry = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return entry is null ? null : StoredJson.Read<KnowledgeDocument>(entry.Value);
    }

    public ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        RuntimeNames.ValidateKey(id);
        return store.DeleteAsync(id, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<KnowledgeHit>> SearchAsync(string query, int limit = 10, IReadOnlyDictionary<string, string>? metadataFilter = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var terms = TextTokens.Of(query);
        if (terms.Count == 0 || limit <= 0)
        {
            return [];
        }

        var docs = new List<KnowledgeDocument>();
        await foreach (var entry in store.ListAsync("", cancellationToken).ConfigureAwait(false))
        {
            var doc = StoredJson.Read<KnowledgeDocument>(entry.Value);
            if (metadataFilter is null || metadataFilter.All(f => doc.Metadata.TryGetValue(f.Key, out var v) && v == f.Value))
            {
                docs.Add(doc);
            }
        }

        var scores = Bm25.Score([.. docs.Select(d => TextTokens.Of(d.Text))], terms);
        return [.. docs.Select((d, i) => new KnowledgeHit(d, scores[i])).Where(h => h.Score > 0)
                       .OrderByDescending(h => h.Score).Take(limit)];
    }
}
