using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Reflection;

namespace Memfun.McpServer.Hosting;

/// <summary>Opt-in start-up timing trace: with <c>MEMFUN_TRACE_STARTUP=1</c>, marks and assembly loads go to stderr.</summary>
/// <remarks>
/// <para>Each line is <c>[startup] +MS ms (cpu CPU, jit N/J ms) name</c>: wall milliseconds since the process
/// started (as the OS reports it, so launch cost before <c>Main</c> shows too), the process's CPU time so far,
/// which a busy machine distorts less, and the methods JIT-compiled so far with the time spent on them (what
/// ReadyToRun saves; with the ReadyToRun tool package what is left is mostly framework generics over the SDK's
/// types). With <c>MEMFUN_TRACE_STARTUP_JIT=FILE</c> as well, every JIT-compiled method is written to FILE, one
/// a line, with the marks between them. Off by default; when off, <see cref="Mark"/> is one static bool test.</para>
/// <para>Meant for measuring where a cold start goes (see docs/interop.md), never for tests.</para>
/// </remarks>
internal static class StartupTrace
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("MEMFUN_TRACE_STARTUP") is "1" or "true";
    private static readonly DateTime ProcessStart = Enabled ? Process.GetCurrentProcess().StartTime.ToUniversalTime() : default;
    private static JitListener? _jit;

    /// <summary>Starts the trace (assembly loads included) when the variable is set; call first thing in <c>Main</c>.</summary>
    public static void Begin()
    {
        if (!Enabled)
        {
            return;
        }

        foreach (var loaded in AppDomain.CurrentDomain.GetAssemblies())
        {
            Write($"loaded {loaded.GetName().Name}");
        }

        AppDomain.CurrentDomain.AssemblyLoad += (_, e) => Write($"load {e.LoadedAssembly.GetName().Name}");
        if (Environment.GetEnvironmentVariable("MEMFUN_TRACE_STARTUP_JIT") is { Length: > 0 } jitLog)
        {
            _jit = new JitListener(jitLog);
        }

        Mark("main");
    }

    /// <summary>Writes one mark when tracing is on.</summary>
    public static void Mark(string name)
    {
        if (Enabled)
        {
            Write(name);
            _jit?.Note(name);
        }
    }

    private static void Write(string text)
    {
        using var self = Process.GetCurrentProcess();
        Console.Error.WriteLine($"[startup] +{(DateTime.UtcNow - ProcessStart).TotalMilliseconds:F0} ms (cpu {self.TotalProcessorTime.TotalMilliseconds:F0}, jit {System.Runtime.JitInfo.GetCompiledMethodCount()}/{System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:F0} ms) {text}");
    }

    /// <summary>Writes the runtime's JIT events (<c>MethodJittingStarted</c>: namespace::name) to a file.</summary>
    /// <remarks>Tier-1 recompilations show as a second line for the same method.</remarks>
    private sealed class JitListener(string path) : EventListener
    {
        private readonly StreamWriter _out = new(path) { AutoFlush = true };

        public void Note(string mark)
        {
            lock (_out)
            {
                _out.WriteLine($"== {mark}");
            }
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x10);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            // The base constructor can deliver events before this instance's fields are set: _out may still be null.
            if (eventData.EventName?.StartsWith("MethodJittingStarted", StringComparison.Ordinal) == true && eventData.Payload is { Count: > 5 } p && _out is not null)
            {
                lock (_out)
                {
                    _out.WriteLine($"{p[4]}::{p[5]}");
                }
            }
        }
    }
}
