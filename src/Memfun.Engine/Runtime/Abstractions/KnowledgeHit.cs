namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>A search result: the document and its relevance score (higher is better).</summary>
public sealed record KnowledgeHit(KnowledgeDocument Document, double Score);
