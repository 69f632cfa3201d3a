using System.Text.Json.Nodes;
using Memfun.Engine.Repl.Host;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Memfun.Engine.Tests.Repl;

/// <summary>The host's compile settings, in process: what they buy must not change what a script can do.</summary>
public sealed class ReplScriptOptionsTests
{
    private static readonly ScriptOptions Options = ReplScriptOptions.Create();

    [Fact]
    public async Task A_submission_compiled_on_one_thread_continues_the_state_of_the_one_before()
    {
        var first = CSharpScript.Create<object>("var a = 20; int Twice(int n) => n * 2;", Options, typeof(ReplGlobals));
        Assert.True(SequentialCompilation.Apply(first));
        var state = await first.RunAsync(new ReplGlobals(new NoChannel()));

        var next = state.Script.ContinueWith<object>("Twice(a) + 2", Options);
        Assert.True(SequentialCompilation.Apply(next));
        Assert.False(((CSharpCompilation)next.GetCompilation()).Options.ConcurrentBuild);
        state = await next.RunFromAsync(state);

        Assert.Equal(42, state.ReturnValue);
    }

    [Fact]
    public void Every_reference_is_resolved_once_when_the_options_are_made()
    {
        Assert.DoesNotContain(Options.MetadataReferences, r => r is UnresolvedMetadataReference);
        var resolver = Options.MetadataResolver;
        Assert.Same(
            Assert.Single(resolver.ResolveReference("System.Collections", null, MetadataReferenceProperties.Assembly)),
            Assert.Single(resolver.ResolveReference("System.Collections", null, MetadataReferenceProperties.Assembly)));
    }

    [Fact]
    public async Task The_whole_framework_stays_reachable_and_the_hosts_own_dependencies_do_not()
    {
        // System.IO.Compression is in no named reference: it comes through netstandard, resolved from the framework.
        var zip = await CSharpScript.RunAsync<object>("typeof(System.IO.Compression.ZipArchive).Name", Options, new ReplGlobals(new NoChannel()), typeof(ReplGlobals));
        Assert.Equal("ZipArchive", zip.ReturnValue);

        var error = await Assert.ThrowsAsync<CompilationErrorException>(() =>
            CSharpScript.RunAsync<object>("typeof(Microsoft.Extensions.AI.ChatMessage).Name", Options, new ReplGlobals(new NoChannel()), typeof(ReplGlobals)));
        Assert.Contains(error.Diagnostics, d => d.Id is "CS0234" or "CS0246");
    }

    private sealed class NoChannel : IReplChannel
    {
        public JsonNode? Call(string tool, JsonObject arguments) => null;
    }
}
