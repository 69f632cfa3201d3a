namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>Documents with metadata, retrievable by text relevance (the memory layer builds on it).</summary>
/// <remarks>Search ranks by BM25 over lower-cased word tokens; a metadata filter keeps only documents whose
/// metadata has every given key with that exact value.</remarks>
public interface IKnowledgeBase
{
    /// <summary>Adds or replaces a document.</summary>
    ValueTask UpsertAsync(KnowledgeDocument document, CancellationToken cancellationToken = default);

    /// <summary>The document, or <see langword="null"/>.</summary>
    ValueTask<KnowledgeDocument?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Deletes a document.</summary>
    ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The documents most relevant to <paramref name="query"/>, best first; none when nothing matches a query word.</summary>
    ValueTask<IReadOnlyList<KnowledgeHit>> SearchAsync(string query, int limit = 10, IReadOnlyDictionary<string, string>? metadataFilter = null, CancellationToken cancellationToken = default);
}
