using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Memfun.Engine.Repl.Host;

/// <summary>The Roslyn script options every REPL submission is compiled with (built once per host process).</summary>
/// <remarks>
/// Debug code without a PDB: a submission runs once, so the optimizer's time is never paid back.
/// </remarks>
internal static class ReplScriptOptions
{
    /// <summary>The namespaces a script sees without a <c>using</c>.</summary>
    public static IReadOnlyList<string> Imports { get; } =
    [
        "System", "System.IO", "System.Linq", "System.Text", "System.Text.RegularExpressions",
        "System.Collections.Generic", "System.Threading", "System.Threading.Tasks", "System.Text.Json", "System.Text.Json.Nodes",
        "Memfun.Engine.Repl.Host",
    ];

    /// <summary>Creates the options (framework references, the globals' assembly, the imports).</summary>
    /// <remarks>
    /// References are resolved here, once, through a <see cref="ReplMetadataResolver"/>: Roslyn binds a
    /// submission's references every time, and the same reference objects let it reuse their metadata.
    /// </remarks>
    public static ScriptOptions Create()
    {
        var options = CreateWithStockResolver();
        var resolver = new ReplMetadataResolver(options.MetadataResolver, Path.GetDirectoryName(typeof(object).Assembly.Location)!);
        return options
            .WithMetadataResolver(resolver)
            .WithReferences(options.MetadataReferences.SelectMany<MetadataReference, MetadataReference>(r =>
                r is UnresolvedMetadataReference u ? resolver.ResolveReference(u.Reference, null, u.Properties) : [r]));
    }

    /// <summary>The same options with Roslyn's own resolver, references unresolved (the benchmark's "before").</summary>
    internal static ScriptOptions CreateWithStockResolver() => ScriptOptions.Default
        .AddReferences(FrameworkReferences())
        .AddReferences(typeof(ReplGlobals).Assembly)
        .WithImports(Imports)
        .WithEmitDebugInformation(false)
        .WithOptimizationLevel(OptimizationLevel.Debug)
        .WithLanguageVersion(LanguageVersion.Preview);

    /// <summary>
    /// The shared framework's assemblies (System.*, Microsoft.CSharp, netstandard): referencing them up front
    /// keeps a first use of, say, Console from paying seconds of missing-reference resolution.
    /// </summary>
    private static IEnumerable<Assembly> FrameworkReferences()
    {
        var names = new[]
        {
            "System.Runtime", "System.Console", "System.Collections", "System.Collections.Concurrent", "System.Linq",
            "System.Text.RegularExpressions", "System.Text.Json", "System.Memory", "System.Net.Http", "System.Net.Primitives",
            "System.Diagnostics.Process", "System.ComponentModel.Primitives", "System.Runtime.Numerics", "System.Threading",
            "System.Threading.Tasks.Parallel", "System.Private.Uri", "System.Xml.ReaderWriter", "System.Private.Xml",
            "System.Private.Xml.Linq", "System.Xml.Linq", "Microsoft.CSharp", "System.Linq.Expressions", "netstandard",
        };
        foreach (var name in names)
        {
            Assembly? assembly = null;
            try
            {
                assembly = Assembly.Load(name);
            }
            catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException)
            {
            }

            if (assembly is not null)
            {
                yield return assembly;
            }
        }
    }
}
