using System.Diagnostics;
using System.Reflection;

namespace Memfun.Engine.Rlm;

/// <summary>
/// Builds the command line of a REPL host: the running memfun with <c>repl-host</c>, in its own working
/// directory, with a scrubbed environment, inside bubblewrap when it works here.
/// </summary>
/// <remarks>
/// Bubblewrap layout: read-only bind of <c>/</c>, a private tmpfs on <c>/tmp</c> with the session's
/// working directory bound writable, fresh <c>/dev</c> and <c>/proc</c>, no network namespace when the
/// kernel allows it, secret folders of the user's home (~/.memfun, ~/.ssh, cloud credentials) hidden,
/// no --die-with-parent (it is tied to the forking thread, and .NET retires thread-pool threads): the host exits when its stdin closes instead. The probe runs once per process.
/// </remarks>
internal sealed class ReplLauncher
{
    private static readonly string[] SecretFolders = [".memfun", ".ssh", ".aws", ".azure", ".gnupg", ".kube", ".docker", ".config/gcloud", ".config/gh", ".nuget/NuGet"];
    private static readonly Lazy<(bool Works, bool Network, string Why)> Probe = new(ProbeBubblewrap);
    private readonly ReplOptions _options;

    public ReplLauncher(ReplOptions options) => _options = options;

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

        if (!useBwrap)
        {
            mode = _options.Sandbox == ReplSandboxMode.None
                ? "none (configured): private working directory and scrubbed environment only"
                : $"none ({Probe.Value.Why}): private working directory and scrubbed environment only";
            psi.FileName = command[0];
            foreach (var a in command.Skip(1))
            {
                psi.ArgumentList.Add(a);
            }

            return psi;
        }

        psi.FileName = "bwrap";
        List<string> args = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"];
        // The host program may itself live under /tmp (a build in a temporary clone): the private /tmp would
        // hide it, so its folder is bound back, read-only.
        foreach (var folder in command
            .Where(c => Path.IsPathRooted(c) && c.StartsWith("/tmp/", StringComparison.Ordinal) && (File.Exists(c) || Directory.Exists(c)))
            .Select(c => Directory.Exists(c) ? c : Path.GetDirectoryName(c)!)
            .Distinct(StringComparer.Ordinal))
        {
            args.AddRange(["--ro-bind", folder, folder]);
        }

        args.AddRange(["--bind", workDir, workDir]);
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (!string.IsNullOrEmpty(home))
        {
            foreach (var folder in SecretFolders)
            {
                var full = Path.Combine(home, folder);
                if (Directory.Exists(full) && !command.Any(c => c.StartsWith(full + "/", StringComparison.Ordinal)))
                {
                    args.AddRange(["--tmpfs", full]);
                }
            }
        }

        if (Probe.Value.Network)
        {
            args.Add("--unshare-net");
        }

        args.AddRange(["--unshare-ipc", "--unshare-uts", "--new-session", "--chdir", workDir, "--"]);
        args.AddRange(command);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        mode = Probe.Value.Network
            ? "bubblewrap: read-only root, private /tmp and working directory, no network"
            : "bubblewrap: read-only root, private /tmp and working directory (network namespace unavailable)";
        return psi;
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

    private static (bool Works, bool Network, string Why) ProbeBubblewrap()
    {
        if (!OperatingSystem.IsLinux())
        {
            return (false, false, "bubblewrap exists only on Linux");
        }

        if (Run(["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-net", "--die-with-parent", "true"]))
        {
            return (true, true, "bubblewrap works");
        }

        return Run(["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--die-with-parent", "true"])
            ? (true, false, "bubblewrap works without a network namespace")
            : (false, false, "bubblewrap is not installed or not permitted here");

        static bool Run(string[] args)
        {
            try
            {
                using var p = Process.Start(new ProcessStartInfo("bwrap", args) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false });
                if (p is null)
                {
                    return false;
                }

                if (!p.WaitForExit(10_000))
                {
                    p.Kill(true);
                    return false;
                }

                return p.ExitCode == 0;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return false;
            }
        }
    }
}
