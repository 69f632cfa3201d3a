using System.Reflection;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Scripting;

namespace Memfun.Engine.Repl.Host;

/// <summary>Makes a script's submission compile on the calling thread (Roslyn's <c>ConcurrentBuild</c> off).</summary>
/// <remarks>
/// Roslyn's scripting API always compiles with <c>ConcurrentBuild</c> on, and <see cref="ScriptOptions"/> has no
/// setting for it: declaring and compiling a one-line submission then fans out to thread-pool tasks, each of which
/// waits for a core on a busy machine. Measured in one run on 2 loaded cores: 14.8 → 12.3 ms of CPU and 44 → 31-35 ms
/// wall per small step. The script's compilation is created (public API), copied with the option off and put back in
/// the script's private cache before the script builds; the chain then continues from that copy. If a Roslyn version
/// renames the cache field, <see cref="Apply"/> returns false and the script compiles as Roslyn would (a test pins it).
/// </remarks>
internal static class SequentialCompilation
{
    private static readonly FieldInfo? LazyCompilation =
        typeof(Script).GetField("_lazyCompilation", BindingFlags.Instance | BindingFlags.NonPublic) is { } field
        && field.FieldType.IsAssignableFrom(typeof(CSharpCompilation))
            ? field
            : null;

    /// <summary>Turns concurrent build off for <paramref name="script"/>; true when it did.</summary>
    public static bool Apply(Script script)
    {
        if (LazyCompilation is null || script.GetCompilation() is not CSharpCompilation compilation)
        {
            return false;
        }

        if (compilation.Options.ConcurrentBuild)
        {
            LazyCompilation.SetValue(script, compilation.WithOptions(compilation.Options.WithConcurrentBuild(false)));
        }

        return !((CSharpCompilation)script.GetCompilation()).Options.ConcurrentBuild;
    }
}
