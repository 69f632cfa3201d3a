using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace Memfun.Engine.Repl;

/// <summary>
/// Builds the command line of a REPL host: the running memfun with <c>repl-host</c>, in its own working
/// directory, with a scrubbed environment, inside bubblewrap when it works here, under a small shell
/// that removes the working directory when the host ends after the server died.
/// </summary>
/// <remarks>
/// <para>Bubblewrap layout: only the system and runtime folders (<c>/usr</c>, <c>/bin</c>, <c>/lib*</c>,
/// <c>/etc</c>, <c>/sys</c>), the .NET runtime, memfun's own folder and the workspace, all read-only; a private
/// tmpfs on <c>/tmp</c> with the session's working directory bound writable; fresh <c>/dev</c> and
/// <c>/proc</c> in a PID namespace of its own (the server's process is not visible, so neither its
/// environment nor a signal reaches it); no network namespace when the kernel allows it; every capability
/// dropped. The home folder is not there at all (unless it is the workspace or holds memfun: then its
/// secret folders and credential files are hidden, and so is the workspace's <c>.memfun/</c>).</para>
/// <para>No --die-with-parent (it is tied to the forking thread, and .NET retires thread-pool threads): the
/// host exits when its stdin closes instead, which also happens when the server is killed. The probe runs
/// once per process.</para>
/// </remarks>
internal sealed class ReplLauncher
{
    private static readonly string[] SecretFolders = [".memfun", ".ssh", ".aws", ".azure", ".gnupg", ".kube", ".docker", ".config", ".nuget/NuGet", ".password-store"];
    private static readonly string[] SecretFiles = [".npmrc", ".git-credentials", ".netrc", ".pypirc", ".pgpass", "credentials.json", ".bash_history"];
    private static readonly string[] SystemFolders = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/sys", "/nix"];

    // Removes the working directory when the host ended and the server that started it is gone (killed):
    // a server that is alive deletes it itself, and a recycle keeps it for the next host.
    private const string CleanupScript =
        "d=$1; p=$2; shift 2; \"$@\"; rc=$?; s=$(cat /proc/$p/stat 2>/dev/null); s=${s##*) }; " +
        "case \"$s\" in \"\"|Z*|X*) rm -rf -- \"$d\" ;; esac; exit $rc";

    private static readonly Lazy<(bool Works, bool Network, bool DropCaps, string Why)> Probe = new(ProbeBubblewrap);
    private readonly ReplOptions _options;
    private readonly string? _workspace;

    public ReplLauncher(ReplOptions options, string? workspace = null)
    {
        _options = options;
        _workspace = string.IsNullOrEmpty(workspace) ? null : Path.GetFullPath(workspace);
    }

    public ReplOptions Options => _options;

    /// <summary>Creates the start info for a host working in <paramref name="workDir"/>; <paramref name="mode"/> says which confinement is active.</summary>
    public ProcessStartInfo Create(string workDir, out string mode)
    {
        var command = HostCommand();
        var psi = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDir,
            StandardInputEncoding = new System.Text.UTF8Encoding(false),
            StandardOutputEncoding = new System.Text.UTF8Encoding(false),
            StandardErrorEncoding = new System.Text.UTF8Encoding(false),
        };

        ScrubEnvironment(psi, workDir);

        var useBwrap = _options.Sandbox != ReplSandboxMode.None && Probe.Value.Works;
        if (_options.Sandbox == ReplSandboxMode.Bubblewrap && !useBwrap)
        {
            throw new ReplException($"The REPL is configured to run only inside bubblewrap, and bubblewrap does not work here: {Probe.Value.Why}. Install it (apt-get install bubblewrap) or set ReplOptions.Sandbox to Auto.");
        }

        List<string> line;
        if (!useBwrap)
        {
            mode = _options.Sandbox == ReplSandboxMode.None
                ? "none (configured): private working directory and scrubbed environment only"
                : $"none ({Probe.Value.Why}): private working directory and scrubbed environment only";
            line = [.. command];
        }
        else
        {
            line = ["bwrap", .. SandboxArguments(command, workDir), .. command];
            mode = Probe.Value.Network
                ? "bubblewrap: own PID namespace, only the workspace (read-only), runtime and private /tmp and working directory, no network"
                : "bubblewrap: own PID namespace, only the workspace (read-only), runtime and private /tmp and working directory (network namespace unavailable)";
        }

        if (!OperatingSystem.IsWindows())
        {
            // setsid: a terminal's Ctrl-C to the server's process group does not reach the cleanup shell.
            List<string> wrapper = ["/bin/sh", "-c", CleanupScript, "memfun-repl", workDir, Environment.ProcessId.ToString(CultureInfo.InvariantCulture)];
            line = File.Exists("/usr/bin/setsid") ? ["/usr/bin/setsid", .. wrapper, .. line] : [.. wrapper, .. line];
        }

        psi.FileName = line[0];
        foreach (var a in line.Skip(1))
        {
            psi.ArgumentList.Add(a);
        }

        return psi;
    }

    private List<string> SandboxArguments(IReadOnlyList<string> command, string workDir)
    {
        List<string> args = [];
        foreach (var folder in SystemFolders)
        {
            args.AddRange(["--ro-bind-try", folder, folder]);
        }

        args.AddRange(["--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]);

        // The runtime and memfun itself, wherever they live (a home folder, a build under /tmp): read-only.
        var visible = new List<string>();
        foreach (var path in command.Where(c => Path.IsPathRooted(c) && (File.Exists(c) || Directory.Exists(c))))
        {
            var real = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
            visible.Add(Directory.Exists(real) ? real : Path.GetDirectoryName(real)!);
            visible.Add(Directory.Exists(path) ? path : Path.GetDirectoryName(path)!);
        }

        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } dotnetRoot && Directory.Exists(dotnetRoot))
        {
            visible.Add(Path.GetFullPath(dotnetRoot));
        }

        if (_workspace is not null && Directory.Exists(_workspace))
        {
            visible.Add(_workspace);
        }

        var bound = visible.Distinct(StringComparer.Ordinal).Where(v => v != "/").OrderBy(v => v.Length).ToList();
        foreach (var folder in bound)
        {
            args.AddRange(["--ro-bind", folder, folder]);
        }

        args.AddRange(["--bind", workDir, workDir]);

        // Anything bound that holds the home folder's secrets or the workspace's own state has them hidden.
        bool Shown(string path) => bound.Any(b => path == b || path.StartsWith(b + "/", StringComparison.Ordinal));
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var hidden = new List<string>();
        if (!string.IsNullOrEmpty(home))
        {
            hidden.AddRange(SecretFolders.Concat(SecretFiles).Select(f => Path.Combine(home, f)));
        }

        if (_workspace is not null)
        {
            hidden.AddRange([Path.Combine(_workspace, ".memfun"), .. SecretFiles.Select(f => Path.Combine(_workspace, f))]);
        }

        foreach (var path in hidden.Distinct(StringComparer.Ordinal).Where(Shown))
        {
            if (Directory.Exists(path) && !command.Any(c => c.StartsWith(path + "/", StringComparison.Ordinal)))
            {
                args.AddRange(["--tmpfs", path]);
            }
            else if (File.Exists(path))
            {
                args.AddRange(["--ro-bind", "/dev/null", path]);
            }
        }

        if (Probe.Value.Network)
        {
            args.Add("--unshare-net");
        }

        if (Probe.Value.DropCaps)
        {
            args.AddRange(["--cap-drop", "ALL"]);
        }

        args.AddRange(["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--new-session", "--chdir", workDir, "--"]);
        return args;
    }

    /// <summary>The command that starts a host: configured, or the running memfun with repl-host.</summary>
    public IReadOnlyList<string> HostCommand()
    {
        if (_options.HostCommand.Count > 0)
        {
            return [.. _options.HostCommand];
        }

        var dll = Assembly.GetEntryAssembly()?.Location;
        if (dll is null || !string.Equals(Path.GetFileName(dll), "memfun.dll", StringComparison.OrdinalIgnoreCase))
        {
            dll = Path.Combine(AppContext.BaseDirectory, "memfun.dll");
        }

        if (!File.Exists(dll))
        {
            throw new ReplException($"Cannot start a REPL: memfun.dll was not found (looked at '{dll}'). Set ReplOptions.HostCommand to the command that runs 'memfun repl-host'.");
        }

        return [DotnetHost(), dll, "repl-host"];
    }

    private static string DotnetHost()
    {
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return self;
        }

        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "dotnet");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return "dotnet";
    }

    private void ScrubEnvironment(ProcessStartInfo psi, string workDir)
    {
        var keep = new[] { "PATH", "DOTNET_ROOT", "LANG", "LC_ALL", "TZ" };
        var values = keep.Select(k => (k, Environment.GetEnvironmentVariable(k))).ToList();
        psi.Environment.Clear();
        foreach (var (k, v) in values)
        {
            if (v is not null)
            {
                psi.Environment[k] = v;
            }
        }

        var tmp = Path.Combine(workDir, "tmp");
        Directory.CreateDirectory(tmp);
        psi.Environment["HOME"] = workDir;
        psi.Environment["TMPDIR"] = tmp;
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["DOTNET_gcServer"] = "0";
        // Roslyn ships as IL only. With tiered compilation its compiler runs as quick-JIT code for a long time
        // (every step JITs a new submission, which keeps postponing the tier-up), so a host compiled a small
        // step in about three times the CPU it needs once fully optimized (measured: 72 -> 25 ms per step).
        // Fully optimized JIT from the first call costs start-up time instead (roughly twice as long to ready).
        psi.Environment["DOTNET_TieredCompilation"] = "0";
        psi.Environment["DOTNET_GCHeapHardLimit"] = (_options.MemoryLimitBytes / 4 * 3).ToString("X", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static (bool Works, bool Network, bool DropCaps, string Why) ProbeBubblewrap()
    {
        if (!OperatingSystem.IsLinux())
        {
            return (false, false, false, "bubblewrap exists only on Linux");
        }

        string[] basic = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-pid"];
        if (!Run([.. basic, "true"]))
        {
            return (false, false, false, "bubblewrap is not installed or not permitted here (or cannot make a PID namespace)");
        }

        var network = Run([.. basic, "--unshare-net", "true"]);
        var caps = Run([.. basic, "--cap-drop", "ALL", "true"]);
        return (true, network, caps, network ? "bubblewrap works" : "bubblewrap works without a network namespace");

        static bool Run(string[] args) => Memfun.Tools.Shell.ChildConfinement.Succeeds(["bwrap", .. args]);
    }
}
