using System.Diagnostics;
using System.Reflection;

namespace Memfun.McpServer.Hosting;

/// <summary>Opt-in start-up timing trace: with <c>MEMFUN_TRACE_STARTUP=1</c>, marks and assembly loads go to stderr.</summary>
/// <remarks>
/// <para>Each line is <c>[startup] +MS ms (cpu CPU) name</c>: wall milliseconds since the process started
/// (as the OS reports it, so launch cost before <c>Main</c> shows too) and the process's CPU time so far,
/// which a busy machine distorts less. Off by default; when off, <see cref="Mark"/>
/// is one static bool test.</para>
/// <para>Meant for measuring where a cold start goes (see docs/interop.md), never for tests.</para>
/// </remarks>
internal static class StartupTrace
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("MEMFUN_TRACE_STARTUP") is "1" or "true";
    private static readonly DateTime ProcessStart = Enabled ? Process.GetCurrentProcess().StartTime.ToUniversalTime() : default;

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
        Mark("main");
    }

    /// <summary>Writes one mark when tracing is on.</summary>
    public static void Mark(string name)
    {
        if (Enabled)
        {
            Write(name);
        }
    }

    private static void Write(string text)
    {
        using var self = Process.GetCurrentProcess();
        Console.Error.WriteLine($"[startup] +{(DateTime.UtcNow - ProcessStart).TotalMilliseconds:F0} ms (cpu {self.TotalProcessorTime.TotalMilliseconds:F0}) {text}");
    }
}
