using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Memfun.Engine.Repl.Protocol;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Memfun.Engine.Repl.Host;

/// <summary>
/// The child side of a REPL session (<c>memfun repl-host</c>): reads protocol lines on stdin, runs each
/// submission as a continuation of the previous script state, and answers on stdout. Console output
/// of scripts is captured per step and never reaches the protocol stream.
/// </summary>
/// <remarks>
/// One submission runs at a time (the parent serializes them); tool calls made by a script block its
/// thread while the reader loop keeps reading the parent's answers. Exits when stdin closes.
/// </remarks>
internal sealed class ReplHostServer : IReplChannel
{
    private const int OutputLimit = 20_000;
    private const long SnapshotLimit = 64L * 1024 * 1024;
    private static readonly JsonSerializerOptions SnapshotJson = new() { IncludeFields = true, MaxDepth = 32 };

    private readonly StreamReader _in;
    private readonly StreamWriter _out;
    private readonly Lock _writeGate = new();
    private readonly ConcurrentDictionary<long, TaskCompletionSource<ReplMessage>> _calls = new();
    private readonly ForwardingWriter _console = new();
    private readonly ReplGlobals _globals;
    private readonly ScriptOptions _options;
    private readonly HashSet<string> _declaredNames = new(StringComparer.Ordinal);
    private ScriptState<object>? _state;
    private long _nextCall;
    private int _submissions;

    private ReplHostServer(Stream input, Stream output)
    {
        var utf8 = new UTF8Encoding(false);
        _in = new StreamReader(input, utf8, false, 1 << 16);
        _out = new StreamWriter(output, utf8, 1 << 16) { AutoFlush = false };
        _globals = new ReplGlobals(this);
        _options = ReplScriptOptions.Create();
    }

    /// <summary>Runs the host on this process's stdin/stdout until stdin closes; returns the exit code.</summary>
    public static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        // Raw descriptors, not Console streams: .NET's console stream locks Console.Out on every write,
        // which would tie the protocol to whatever the script does with the console.
        var input = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(0, ownsHandle: false), FileAccess.Read, 1, isAsync: false);
        var output = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(1, ownsHandle: false), FileAccess.Write, 1, isAsync: false);
        var server = new ReplHostServer(input, output);
        Console.SetOut(server._console);
        Console.SetError(server._console);
        Console.SetIn(TextReader.Null);
        await server.RunLoopAsync(cancellationToken).ConfigureAwait(false);

        // Threads a script started must not keep the process alive once the parent is gone.
        Environment.Exit(0);
        return 0;
    }

    public JsonNode? Call(string tool, JsonObject arguments)
    {
        var id = Interlocked.Increment(ref _nextCall);
        var tcs = new TaskCompletionSource<ReplMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _calls[id] = tcs;
        Send(new ReplMessage { Type = "call", Id = id, Tool = tool, Args = arguments });
        var answer = tcs.Task.GetAwaiter().GetResult();
        if (!answer.Ok)
        {
            throw new ReplToolException(answer.Error ?? $"{tool} failed.");
        }

        return answer.Value;
    }

    private async Task RunLoopAsync(CancellationToken cancellationToken)
    {
        // Compile before saying ready, so that the first real steps do not pay the compiler's JIT (fully optimized
        // code: tiered compilation is off in a host): a first submission, then a continuation of it, between them
        // the constructs a script commonly uses (a type, a record, a method, lambdas, LINQ, interpolation, foreach).
        _state = await RunSubmissionAsync(
            """
            var __memfun_ready = new[] { 1, 2 }.Select(x => x * 2).Where(x => x > 0).ToList().Sum();
            int __memfun_twice(int n) => n * 2;
            record __MemfunWarmRecord(int A, string B);
            class __MemfunWarmClass { public int V { get; set; } }
            foreach (var __memfun_pair in new Dictionary<string, int> { ["a"] = 1 }) { Console.Write($"{__memfun_pair.Key}{__memfun_twice(__memfun_pair.Value)}"); }
            """,
            cancellationToken).ConfigureAwait(false);
        _state = await RunSubmissionAsync("new __MemfunWarmClass { V = __memfun_ready }.V + new __MemfunWarmRecord(1, \"b\").A", cancellationToken).ConfigureAwait(false);
        Send(new ReplMessage { Type = "ready", Pid = Environment.ProcessId, Ok = true });

        while (!cancellationToken.IsCancellationRequested)
        {
            var line = await _in.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                return;
            }

            if (line.Length == 0)
            {
                continue;
            }

            ReplMessage message;
            try
            {
                message = ReplMessage.Parse(line);
            }
            catch (JsonException ex)
            {
                Send(new ReplMessage { Type = "error", Error = "Unreadable protocol line: " + ex.Message });
                continue;
            }

            switch (message.Type)
            {
                case "result":
                    if (_calls.TryRemove(message.Id, out var pending))
                    {
                        pending.TrySetResult(message);
                    }

                    break;
                case "exec":
                    _ = Task.Run(() => Guard(() => ExecuteAsync(message), message.Id), CancellationToken.None);
                    break;
                case "vars":
                    _ = Task.Run(() => Send(new ReplMessage { Type = "vars", Id = message.Id, Ok = true, Vars = Variables() }), CancellationToken.None);
                    break;
                case "snapshot":
                    _ = Task.Run(() => Send(Snapshot(message.Id)), CancellationToken.None);
                    break;
                case "restore":
                    _ = Task.Run(() => Guard(() => RestoreAsync(message), message.Id), CancellationToken.None);
                    break;
                default:
                    Send(new ReplMessage { Type = "error", Id = message.Id, Error = $"Unknown message type '{message.Type}'." });
                    break;
            }
        }
    }

    /// <summary>Runs a request handler; a failure of the host itself becomes an error answer, never silence.</summary>
    private async Task Guard(Func<Task> handler, long id)
    {
        try
        {
            await handler().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _console.Target = TextWriter.Null;
            Send(new ReplMessage { Type = "done", Id = id, Ok = false, ErrorType = ex.GetType().FullName, Error = "The REPL host failed: " + ex });
        }
    }

    private async Task ExecuteAsync(ReplMessage request)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var capture = new BoundedOutputWriter(OutputLimit);
        _console.Target = capture;
        _globals.BeginStep();
        var reply = new ReplMessage { Type = "done", Id = request.Id, Ok = true };
        var code = request.Code ?? string.Empty;
        try
        {
            if (TryReadVariable(code, out var shown))
            {
                // The model looking at a variable: answered from the state, with the output the compiled
                // expression would give, and no submission (no compile, no assembly left behind).
                if (shown is not null)
                {
                    capture.WriteLine(ValueDisplay.Format(shown));
                }

                reply.HostMs = clock.Elapsed.TotalMilliseconds;
                reply.Output = capture.ToString();
                reply.OutputCut = capture.Cut;
                reply.HeapBytes = GC.GetTotalMemory(false);
                reply.Submissions = _submissions;
                reply.Names = [.. Latest().Keys];
                Send(reply);
                return;
            }

            _state = await RunSubmissionAsync(code, CancellationToken.None).ConfigureAwait(false);
            reply.ScriptMs = clock.Elapsed.TotalMilliseconds;
            _submissions++;
            (reply.Definitions, reply.Members) = DefinitionExtractor.Extract(code, _declaredNames);
            if (_state.Exception is { } ex)
            {
                reply.Ok = false;
                reply.ErrorType = ex.GetType().FullName;
                reply.Error = Describe(ex);
            }
            else if (_state.ReturnValue is { } value)
            {
                capture.WriteLine(ValueDisplay.Format(value));
            }

            var (hasFinal, answer, variable) = _globals.TakeFinal();
            if (hasFinal)
            {
                if (variable is null)
                {
                    reply.Final = answer;
                }
                else if (Latest().TryGetValue(variable, out var v))
                {
                    reply.Final = ValueDisplay.Format(v.Value);
                }
                else
                {
                    reply.Ok = false;
                    reply.Error = $"FINAL_VAR(\"{variable}\"): there is no variable named '{variable}'. Define it first, or call FINAL(value).";
                }
            }
        }
        catch (CompilationErrorException ex)
        {
            reply.Ok = false;
            reply.ErrorType = "compile";
            reply.Error = "The code did not compile:\n" + string.Join("\n", ex.Diagnostics.Take(8).Select(d => d.ToString()));
        }
        catch (Exception ex)
        {
            reply.Ok = false;
            reply.ErrorType = ex.GetType().FullName;
            reply.Error = Describe(ex);
        }
        finally
        {
            _console.Target = TextWriter.Null;
        }

        reply.Output = capture.ToString();
        reply.OutputCut = capture.Cut;
        reply.HeapBytes = GC.GetTotalMemory(false);
        reply.Submissions = _submissions;
        reply.Names = [.. Latest().Keys];
        reply.HostMs = clock.Elapsed.TotalMilliseconds;
        Send(reply);
    }

    /// <summary>
    /// True when <paramref name="code"/> is nothing but the name of a script variable that no type, method or
    /// property declared in the session could shadow; <paramref name="value"/> is then its current value.
    /// </summary>
    private bool TryReadVariable(string code, out object? value)
    {
        value = null;
        var name = code.AsSpan().Trim();
        var verbatim = name.StartsWith("@");
        if (verbatim)
        {
            name = name[1..];
        }

        var text = name.ToString();
        if (text.Length is 0 or > 256 || !SyntaxFacts.IsValidIdentifier(text)
            || (!verbatim && (SyntaxFacts.GetKeywordKind(text) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(text) != SyntaxKind.None)))
        {
            return false;
        }

        if (_declaredNames.Contains(text) || !Latest().TryGetValue(text, out var variable))
        {
            return false;
        }

        value = variable.Value;
        return true;
    }

    /// <summary>
    /// Compiles <paramref name="code"/> as the next submission (the first one when there is no state yet), on this
    /// thread (<see cref="SequentialCompilation"/>), and runs it; an exception of the script is caught into the state.
    /// </summary>
    /// <exception cref="CompilationErrorException">The code does not compile.</exception>
    private async Task<ScriptState<object>> RunSubmissionAsync(string code, CancellationToken cancellationToken)
    {
        var script = _state is null
            ? CSharpScript.Create<object>(code, _options, typeof(ReplGlobals))
            : _state.Script.ContinueWith<object>(code, _options);
        SequentialCompilation.Apply(script);
        return _state is null
            ? await script.RunAsync(_globals, _ => true, cancellationToken).ConfigureAwait(false)
            : await script.RunFromAsync(_state, _ => true, cancellationToken).ConfigureAwait(false);
    }

    private static string Describe(Exception ex)
    {
        while (ex is TargetInvocationException or AggregateException && ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        var trace = ex.StackTrace?.Split('\n').Where(l => l.Contains("Submission#", StringComparison.Ordinal)).Take(3).Select(l => l.Trim()) ?? [];
        var where = string.Join("\n", trace);
        return ex is ReplToolException
            ? ex.Message
            : $"{ex.GetType().FullName}: {ex.Message}" + (where.Length > 0 ? "\n" + where : string.Empty);
    }

    private Dictionary<string, ScriptVariable> Latest()
    {
        var latest = new Dictionary<string, ScriptVariable>(StringComparer.Ordinal);
        if (_state is null)
        {
            return latest;
        }

        foreach (var v in _state.Variables)
        {
            if (!v.Name.StartsWith("__", StringComparison.Ordinal))
            {
                latest[v.Name] = v;
            }
        }

        return latest;
    }

    private List<ReplVariable> Variables() =>
        [.. Latest().Values.Select(v => ValueDisplay.Summarize(v.Name, v.Value, v.Type))];

    private ReplMessage Snapshot(long id)
    {
        var entries = new List<ReplSnapshotEntry>();
        var problems = new List<string>();
        long total = 0;
        foreach (var v in Latest().Values)
        {
            var declared = ScriptTypeNames.TryFormat(v.Type);
            if (declared is null)
            {
                problems.Add($"{v.Name}: its type ({ScriptTypeNames.Display(v.Type)}) cannot be named in code");
                continue;
            }

            var value = v.Value;
            var runtime = value?.GetType() ?? v.Type;
            if (value is Delegate or Task or Stream or IDisposable or Type or MemberInfo || (value is IEnumerable and not ICollection and not string))
            {
                problems.Add($"{v.Name}: a {ScriptTypeNames.Display(runtime)} holds live state and is not carried over");
                continue;
            }

            var runtimeName = (runtime.IsVisible || ScriptTypeNames.IsSubmissionType(runtime)) ? ScriptTypeNames.TryFormat(runtime) : null;
            try
            {
                var json = JsonSerializer.Serialize(value, runtimeName is null ? v.Type : runtime, SnapshotJson);
                total += json.Length;
                if (total > SnapshotLimit)
                {
                    problems.Add($"{v.Name}: too large to carry over ({json.Length:N0} characters of JSON)");
                    total -= json.Length;
                    continue;
                }

                entries.Add(new ReplSnapshotEntry { Name = v.Name, TypeName = declared, RuntimeTypeName = runtimeName ?? declared, Json = json });
            }
            catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException or ArgumentException)
            {
                problems.Add($"{v.Name}: does not serialize ({ex.GetType().Name})");
            }
        }

        return new ReplMessage { Type = "snapshot", Id = id, Ok = true, Snapshot = entries, Problems = problems };
    }

    private async Task RestoreAsync(ReplMessage request)
    {
        var entries = request.Snapshot ?? [];
        var problems = new List<string>();
        _globals.SetRestoreValues(entries.ToDictionary(e => e.Name, e => e.Json, StringComparer.Ordinal));
        var all = string.Join("\n", entries.Select(Declaration));
        if (!await TryRunAsync(all).ConfigureAwait(false))
        {
            foreach (var e in entries)
            {
                if (!await TryRunAsync(Declaration(e)).ConfigureAwait(false))
                {
                    problems.Add($"{e.Name}: could not be declared again as {e.TypeName}");
                }
            }
        }

        _globals.SetRestoreValues(new Dictionary<string, string>(StringComparer.Ordinal));
        Send(new ReplMessage { Type = "restored", Id = request.Id, Ok = true, Problems = problems });

        static string Declaration(ReplSnapshotEntry e) => $"{e.TypeName} @{e.Name} = __memfun_restore<{e.RuntimeTypeName}>(\"{e.Name}\");";
    }

    private async Task<bool> TryRunAsync(string code)
    {
        if (code.Length == 0)
        {
            return true;
        }

        try
        {
            var next = await RunSubmissionAsync(code, CancellationToken.None).ConfigureAwait(false);
            if (next.Exception is not null)
            {
                return false;
            }

            _state = next;
            _submissions++;
            return true;
        }
        catch (CompilationErrorException)
        {
            return false;
        }
    }

    private void Send(ReplMessage message)
    {
        var line = message.ToLine();
        lock (_writeGate)
        {
            _out.Write(line);
            _out.Write('\n');
            _out.Flush();
        }
    }
}
