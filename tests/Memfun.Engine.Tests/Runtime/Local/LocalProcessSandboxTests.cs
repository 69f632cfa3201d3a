using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Runtime.Local;
using Memfun.Tools.Workspace;

namespace Memfun.Engine.Tests.Runtime.Local;

/// <summary>The <see cref="ISandbox"/> contract on the local process backend (the sandbox does not depend on the tier).</summary>
public sealed class LocalProcessSandboxTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("memfun-sandbox-").FullName;

    private ISandbox Sandbox => new LocalProcessSandbox(_root);

    [Fact]
    public async Task A_script_runs_in_its_working_directory_with_its_input_and_reports_exit_code_and_output()
    {
        Directory.CreateDirectory(Path.Combine(_root, "sub"));
        var result = await Sandbox.RunAsync(new SandboxRequest { Script = "pwd; read line; echo \"got $line\"; echo oops >&2; exit 3", WorkingDirectory = "sub", StandardInput = "hello\n" });
        Assert.Equal(3, result.ExitCode);
        Assert.Equal([Path.Combine(_root, "sub"), "got hello"], result.StandardOutput.TrimEnd().Split('\n'));
        Assert.Equal("oops", result.StandardError.Trim());
        Assert.False(result.TimedOut);
    }

    [Fact]
    public async Task A_run_past_its_time_limit_is_killed_with_its_children()
    {
        var marker = Path.Combine(_root, "child-survived");
        var result = await Sandbox.RunAsync(new SandboxRequest
        {
            Script = $"(sleep 2; touch '{marker}') & sleep 30",
            Timeout = TimeSpan.FromMilliseconds(500),
        });
        Assert.True(result.TimedOut);
        Assert.Equal(-1, result.ExitCode);
        await Task.Delay(2500);
        Assert.False(File.Exists(marker), "the background child was killed with the tree");
    }

    [Fact]
    public async Task Output_past_the_limit_is_cut_and_flagged()
    {
        var result = await Sandbox.RunAsync(new SandboxRequest { FileName = "seq", Arguments = ["1", "100000"], MaxOutputChars = 1000 });
        Assert.Equal(0, result.ExitCode);
        Assert.True(result.OutputTruncated);
        Assert.Equal(1000, result.StandardOutput.Length);
        Assert.StartsWith("1\n2\n3\n", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_parent_environment_does_not_leak_but_given_variables_arrive()
    {
        Environment.SetEnvironmentVariable("MEMFUN_TEST_SECRET", "hunter2");
        try
        {
            var result = await Sandbox.RunAsync(new SandboxRequest
            {
                Script = "echo \"secret=[$MEMFUN_TEST_SECRET] mine=[$MINE] path=[${PATH:+set}]\"",
                Environment = new Dictionary<string, string?> { ["MINE"] = "42" },
            });
            Assert.Equal("secret=[] mine=[42] path=[set]", result.StandardOutput.Trim());
        }
        finally
        {
            Environment.SetEnvironmentVariable("MEMFUN_TEST_SECRET", null);
        }
    }

    [Fact]
    public async Task A_working_directory_outside_the_root_is_refused()
    {
        await Assert.ThrowsAsync<WorkspaceAccessException>(async () => await Sandbox.RunAsync(new SandboxRequest { Script = "true", WorkingDirectory = "../.." }));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Sandbox.RunAsync(new SandboxRequest { Script = "true", FileName = "ls" }));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
