using Memfun.Tools.Shell;

namespace Memfun.Tools.Tests.Shell;

public sealed class ProcessRunnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("memfun-proc-").FullName;
    private readonly ProcessRunner _runner = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // These tests follow the PIDs a script prints, which name the processes here only outside a PID namespace:
    // they check the group and tree kills of an unconfined run (the fallback where bubblewrap is missing).
    private static ProcessRunOptions Bash(string script, double timeoutSeconds = 20) => new("/bin/bash")
    {
        Arguments = ["-c", script],
        Timeout = TimeSpan.FromSeconds(timeoutSeconds),
        Confine = false,
    };

    [Fact]
    public async Task A_confined_command_cannot_signal_the_runner_and_its_background_jobs_end_with_it()
    {
        Assert.NotNull(ChildConfinement.Prefix);
        var marker = "300." + Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var r = await _runner.RunAsync(new ProcessRunOptions("/bin/bash")
        {
            Arguments = ["-c", $"sleep {marker} & kill -0 {Environment.ProcessId} && echo reached || echo unreachable"],
        });

        Assert.Contains("unreachable", r.Output, StringComparison.Ordinal);
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (SleepersWith(marker).Count > 0)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"sleep {marker} outlived its confined command");
            await Task.Delay(50);
        }
    }

    private static List<int> SleepersWith(string marker)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (int.TryParse(Path.GetFileName(dir), out var pid) && File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(marker, StringComparison.Ordinal) && !IsDead(pid))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
            }
        }

        return found;
    }

    /// <summary>True when the process is gone or a zombie waiting to be reaped (it no longer runs).</summary>
    private static bool IsDead(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return true;
        }

        try
        {
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..][0];
            return state is 'Z' or 'X';
        }
        catch (IOException)
        {
            return true;
        }
    }

    private int ReadPid(string file) => int.Parse(File.ReadAllText(Path.Combine(_dir, file)).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private static void WaitDead(int pid)
    {
        // The kill is synchronous, but reaping an orphan is the init process's job: allow it a moment.
        for (var i = 0; i < 100 && !IsDead(pid); i++)
        {
            Thread.Sleep(50);
        }
    }

    [Fact]
    public async Task Stdout_and_stderr_are_captured_interleaved_in_the_order_written()
    {
        var r = await _runner.RunAsync(Bash("echo one; echo two >&2; echo three; echo four >&2; exit 3"));

        Assert.Equal("one\ntwo\nthree\nfour\n", r.Output);
        Assert.Equal(3, r.ExitCode);
        Assert.False(r.TimedOut);
        Assert.Equal(4, r.OutputLines);
    }

    [Fact]
    public async Task A_timeout_kills_the_whole_tree_including_grandchildren()
    {
        var r = await _runner.RunAsync(Bash($"bash -c 'sleep 300 & echo $! > {_dir}/grandchild; wait' & echo $! > {_dir}/child; wait", timeoutSeconds: 1.5));

        Assert.True(r.TimedOut);
        var child = ReadPid("child");
        var grandchild = ReadPid("grandchild");
        WaitDead(grandchild);
        Assert.True(IsDead(child), $"child {child} still runs");
        Assert.True(IsDead(grandchild), $"grandchild {grandchild} still runs");
    }

    [Fact]
    public async Task A_background_job_does_not_outlive_the_command()
    {
        var r = await _runner.RunAsync(Bash($"sleep 300 & echo $! > {_dir}/bg; echo started"));

        Assert.Equal(0, r.ExitCode);
        Assert.False(r.TimedOut);
        Assert.Equal("started\n", r.Output);
        var bg = ReadPid("bg");
        WaitDead(bg);
        Assert.True(IsDead(bg), $"background job {bg} still runs");
    }

    [Fact]
    public async Task A_process_that_escapes_the_group_and_holds_the_pipe_does_not_hang_the_run()
    {
        var r = await _runner.RunAsync(Bash($"setsid sleep 30 & echo $! > {_dir}/escaped; echo done"));

        Assert.StartsWith("done\n", r.Output, StringComparison.Ordinal);
        Assert.Contains("stopped reading output", r.Output, StringComparison.Ordinal);
        Assert.Equal(0, r.ExitCode);
        var pid = ReadPid("escaped");
        Kill(pid);
    }

    private static void Kill(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            p.Kill();
        }
        catch (ArgumentException)
        {
        }
        catch (InvalidOperationException)
        {
        }
    }

    [Fact]
    public async Task Cancellation_kills_the_tree_and_throws()
    {
        using var cts = new CancellationTokenSource();
        var run = _runner.RunAsync(Bash($"sleep 300 & echo $! > {_dir}/bg; wait", timeoutSeconds: 120), cancellationToken: cts.Token);
        while (!File.Exists(Path.Combine(_dir, "bg")) || File.ReadAllText(Path.Combine(_dir, "bg")).Length == 0)
        {
            await Task.Delay(20);
        }

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var bg = ReadPid("bg");
        WaitDead(bg);
        Assert.True(IsDead(bg), $"sleep {bg} still runs after cancellation");
    }

    [Fact]
    public async Task Long_output_keeps_the_tail_and_counts_what_was_cut()
    {
        var r = await _runner.RunAsync(Bash("seq 1 100000") with { MaxOutputChars = 1000 });

        Assert.Equal(1000, r.Output.Length);
        Assert.EndsWith("\n99999\n100000\n", r.Output, StringComparison.Ordinal);
        Assert.Equal(588_895 - 1000, r.OmittedChars);
        Assert.Equal(100_000, r.OutputLines);
    }

    [Fact]
    public async Task Keep_head_keeps_the_beginning()
    {
        var r = await _runner.RunAsync(Bash("seq 1 100000") with { MaxOutputChars = 10, KeepTail = false });

        Assert.Equal("1\n2\n3\n4\n5\n", r.Output);
        Assert.True(r.OmittedChars > 0);
    }

    [Fact]
    public async Task Standard_input_is_closed()
    {
        var r = await _runner.RunAsync(Bash("cat; echo done", timeoutSeconds: 10));

        Assert.False(r.TimedOut);
        Assert.Equal("done\n", r.Output);
    }

    [Fact]
    public async Task Standard_error_can_be_kept_apart()
    {
        var r = await _runner.RunAsync(Bash("echo out; echo err >&2") with { MergeStandardError = false });

        Assert.Equal("out\n", r.Output);
        Assert.Equal("err\n", r.StandardError);
    }

    [Fact]
    public async Task Credentials_are_scrubbed_from_the_child_environment()
    {
        Environment.SetEnvironmentVariable("MEMFUN_TEST_SECRET_SETTING", "s1");
        Environment.SetEnvironmentVariable("OPENAI_API_KEY", "s2");
        Environment.SetEnvironmentVariable("GITHUB_TOKEN", "s3");
        Environment.SetEnvironmentVariable("MY_DB_PASSWORD", "s4");
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "s5");
        Environment.SetEnvironmentVariable("MEMFUN_HARMLESS_TEST_VAR", "s6");
        Environment.SetEnvironmentVariable("PLAIN_TEST_VAR", "kept");
        try
        {
            var r = await _runner.RunAsync(Bash("env"));

            foreach (var secret in (string[])["s1", "s2", "s3", "s4", "s5", "s6"])
            {
                Assert.DoesNotContain("=" + secret + "\n", r.Output, StringComparison.Ordinal);
            }

            Assert.Contains("PLAIN_TEST_VAR=kept\n", r.Output, StringComparison.Ordinal);
            Assert.Contains("PATH=", r.Output, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var name in (string[])["MEMFUN_TEST_SECRET_SETTING", "OPENAI_API_KEY", "GITHUB_TOKEN", "MY_DB_PASSWORD", "AWS_ACCESS_KEY_ID", "MEMFUN_HARMLESS_TEST_VAR", "PLAIN_TEST_VAR"])
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }

    [Fact]
    public async Task Progress_is_reported_while_the_process_runs()
    {
        var reports = new List<ProcessProgress>();
        var progress = new SynchronousProgress(reports);

        await _runner.RunAsync(Bash("echo a; sleep 2.5; echo b"), progress);

        Assert.NotEmpty(reports);
        Assert.All(reports, p => Assert.True(p.Elapsed >= TimeSpan.FromSeconds(0.9)));
    }

    [Fact]
    public async Task A_missing_program_is_a_clear_error()
    {
        var ex = await Assert.ThrowsAsync<MemfunToolException>(() => _runner.RunAsync(new ProcessRunOptions("/nonexistent/tool") { MergeStandardError = false }));

        Assert.Contains("/nonexistent/tool", ex.Message, StringComparison.Ordinal);
    }

    private sealed class SynchronousProgress(List<ProcessProgress> reports) : IProgress<ProcessProgress>
    {
        public void Report(ProcessProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
