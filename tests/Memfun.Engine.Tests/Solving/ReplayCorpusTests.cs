using System.Text.Json;
using Memfun.Engine.Solving;

namespace Memfun.Engine.Tests.Solving;

/// <summary>
/// Recorded model answers replayed on small real projects (Solving/Replay/&lt;case&gt;/: project/, task.txt,
/// answers.json, expected/): every case must apply, pass the workspace's own checks (python syntax, dotnet build,
/// tsc), and leave exactly the expected files.
/// </summary>
/// <remarks>
/// TypeScript cases get the project's own <c>node_modules/.bin/tsc</c>, as a real project has it: a launcher of the tsc
/// that <c>tools/install-node-tools.sh</c> puts in <c>.tools/</c> (test.sh runs it), on the Node 22 installed there.
/// </remarks>
public sealed class ReplayCorpusTests
{
    private static readonly string Corpus = Path.Combine(AppContext.BaseDirectory, "Solving", "Replay");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(Corpus).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(dir));
        }

        return data;
    }

    [Fact]
    public void The_corpus_holds_at_least_ten_cases_in_three_languages()
    {
        var cases = Directory.GetDirectories(Corpus).Select(Path.GetFileName).ToList();

        Assert.True(cases.Count >= 10, $"only {cases.Count} cases");
        Assert.Contains(cases, c => c!.StartsWith("py-", StringComparison.Ordinal));
        Assert.Contains(cases, c => c!.StartsWith("ts-", StringComparison.Ordinal));
        Assert.Contains(cases, c => c!.StartsWith("cs-", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_recorded_case_applies_verifies_and_matches_the_expected_files(string name)
    {
        var dir = Path.Combine(Corpus, name);
        using var h = new SolverHarness();
        CopyTree(Path.Combine(dir, "project"), h.Root);
        var typeScript = name.StartsWith("ts-", StringComparison.Ordinal);
        if (typeScript)
        {
            ProvideTsc(h.Root);
        }

        foreach (var answer in JsonSerializer.Deserialize<string[]>(File.ReadAllText(Path.Combine(dir, "answers.json")))!)
        {
            h.Model.Then(answer);
        }

        var result = await h.RunAsync(new SolverRequest(SolverMode.Solve, File.ReadAllText(Path.Combine(dir, "task.txt"))));

        Assert.True(result.Status == SolveStatus.Completed, $"{result.Status}: {result.Message}\n{string.Join("\n", result.Lint.Select(l => l.Output))}");
        Assert.Equal(0, h.Model.Remaining);
        Assert.NotEmpty(result.Lint);
        if (typeScript)
        {
            Assert.Contains(result.Lint, l => l.Tool == "tsc");
        }

        Assert.All(result.Lint.GroupBy(l => l.Tool).Select(g => g.Last()), l => Assert.True(l.Passed, l.Output));
        var expectedRoot = Path.Combine(dir, "expected");
        var expected = Directory.EnumerateFiles(expectedRoot, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(expectedRoot, f).Replace(Path.DirectorySeparatorChar, '/')).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, result.ChangedFiles);
        foreach (var file in expected)
        {
            Assert.Equal(File.ReadAllText(Path.Combine(expectedRoot, file)), h.Read(file));
        }
    }

    /// <summary>Writes <c>node_modules/.bin/tsc</c> into the workspace: a launcher of the tsc installed in <c>.tools/</c>.</summary>
    private static void ProvideTsc(string workspace)
    {
        var tools = Path.Combine(RepoRoot(), ".tools");
        var node = Path.Combine(tools, "node", "bin", "node");
        var tsc = Path.Combine(tools, "node_modules", "typescript", "bin", "tsc");
        if (!File.Exists(node) || !File.Exists(tsc))
        {
            Assert.Fail($"The TypeScript replay cases need tsc ('{tsc}') and Node ('{node}'). Run: bash tools/install-node-tools.sh (test.sh does it for you).");
        }

        var bin = Path.Combine(workspace, "node_modules", ".bin");
        Directory.CreateDirectory(bin);
        var launcher = Path.Combine(bin, "tsc");
        File.WriteAllText(launcher, $"#!/bin/sh\nexec '{node}' '{tsc}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>The repository root: the nearest folder above the test binaries that holds Memfun.sln.</summary>
    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Memfun.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException($"No Memfun.sln above {AppContext.BaseDirectory}.");
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
