using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace Memfun.Engine.Repl.Host;

/// <summary>
/// The metadata resolver of a REPL host: Roslyn's own resolver behind a memo, so that every submission of a
/// session gets the very same reference objects, and missing assemblies resolved only from the shared framework.
/// </summary>
/// <remarks>
/// Why: Roslyn binds the references of every submission afresh. With the stock resolver each submission got new
/// reference objects for the named framework assemblies, whose metadata was then read and checked again
/// (measured: a third of a small step's CPU). Same objects, same metadata: binding finds it cached.
/// Missing assemblies are the dependencies of referenced assemblies; those of the host's own assembly (the
/// model provider, MCP, NATS, Redis, the compiler itself…) are not the script's business and would otherwise be
/// bound with every submission, so only the shared framework's are resolved. A script still reaches the whole
/// framework (through <c>netstandard</c>); a type of the host's dependencies stays out of reach, as it should.
/// A missing assembly is remembered by identity alone: the framework's file for an identity does not depend on
/// which assembly asked for it. Thread-safe.
/// </remarks>
internal sealed class ReplMetadataResolver : MetadataReferenceResolver
{
    private readonly MetadataReferenceResolver _inner;
    private readonly string _framework;
    private readonly ConcurrentDictionary<(string Reference, string? BaseFilePath, MetadataReferenceProperties Properties), ImmutableArray<PortableExecutableReference>> _references = new();
    private readonly ConcurrentDictionary<AssemblyIdentity, PortableExecutableReference?> _missing = new();

    public ReplMetadataResolver(MetadataReferenceResolver inner, string frameworkDirectory)
    {
        _inner = inner;
        _framework = Path.TrimEndingDirectorySeparator(Path.GetFullPath(frameworkDirectory)) + Path.DirectorySeparatorChar;
    }

    public override bool ResolveMissingAssemblies => true;

    public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties) =>
        _references.GetOrAdd((reference, baseFilePath, properties), key => _inner.ResolveReference(key.Reference, key.BaseFilePath, key.Properties));

    public override PortableExecutableReference? ResolveMissingAssembly(MetadataReference definition, AssemblyIdentity referenceIdentity) =>
        _missing.GetOrAdd(referenceIdentity, identity =>
        {
            var resolved = _inner.ResolveMissingAssembly(definition, identity);
            return resolved?.FilePath is { } path && path.StartsWith(_framework, StringComparison.Ordinal) ? resolved : null;
        });

    public override bool Equals(object? other) => ReferenceEquals(this, other);

    public override int GetHashCode() => RuntimeHelpers.GetHashCode(this);
}
