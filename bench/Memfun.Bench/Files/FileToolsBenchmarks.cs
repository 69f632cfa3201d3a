using System.Diagnostics;
using System.Text;
using BenchmarkDotNet.Attributes;
using Memfun.Tools.Files;
using Memfun.Tools.Shell;
using Memfun.Tools.Workspace;

namespace Memfun.Bench.Files;

/// <summary>
/// read_file on a 204 MB generated log (3.4M lines of 60 bytes) (first page, last page) against coreutils reading the same
/// lines (`head -n 2000`, `sed -n 'A,Bp'`), and ProcessRunner's overhead against a bare Process.Start.
/// </summary>
[MemoryDiagnoser]
[InProcess]
[WarmupCount(2)]
[IterationCount(8)]
public class FileToolsBenchmarks
{
    private const int Lines = 3_400_000;
    private string _root = null!;
    private FileReader _reader = null!;
    private ProcessRunner _runner = null!;

    [GlobalSetup]
    public void Setup()
    {
        _root = Directory.CreateTempSubdirectory("memfun-bench-files-").FullName;
        var line = Encoding.ASCII.GetBytes(new string('q', 59) + "\n");
        using (var f = File.Create(Path.Combine(_root, "huge.log")))
        {
            // Short lines so the 2000-line page is not cut by the character cap.
            var block = new byte[line.Length * 10_000];
            for (var i = 0; i < 10_000; i++)
            {
                line.CopyTo(block, i * line.Length);
            }

            for (var i = 0; i < Lines / 10_000; i++)
            {
                f.Write(block);
            }
        }

        var guard = new PathGuard(_root);
        _reader = new FileReader(guard, new ReadCache());
        _runner = new ProcessRunner();
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    [Benchmark(Description = "read_file first page (1000 lines) of 204 MB")]
    public int ReadFirstPage() => _reader.Read("huge.log", 1, 1000, force: true, session: null).Text.Length;

    [Benchmark(Description = "head -n 1000 (reference)")]
    public int HeadFirstPage() => Run("head", "-n", "1000", Path.Combine(_root, "huge.log"));

    [Benchmark(Description = "read_file last page (1000 lines) of 204 MB")]
    public int ReadLastPage() => _reader.Read("huge.log", Lines - 999, 1000, force: true, session: null).Text.Length;

    [Benchmark(Description = "sed -n last 1000 lines (reference)")]
    public int SedLastPage() => Run("sed", "-n", $"{Lines - 999},{Lines}p", Path.Combine(_root, "huge.log"));

    [Benchmark(Description = "ProcessRunner: true")]
    public async Task<int> RunnerTrue() => (await _runner.RunAsync(new ProcessRunOptions("true"))).ExitCode;

    [Benchmark(Description = "Process.Start: true (reference)")]
    public int ProcessTrue() => Run("true");

    private static int Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var n = p.StandardOutput.ReadToEnd().Length;
        p.WaitForExit();
        return n;
    }
}
