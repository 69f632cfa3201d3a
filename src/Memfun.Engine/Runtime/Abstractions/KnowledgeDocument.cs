namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>A document in the knowledge base.</summary>
public sealed record KnowledgeDocument(string Id, string Text, IReadOnlyDictionary<string, string> Metadata);
