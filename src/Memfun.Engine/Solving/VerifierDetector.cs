namespace Memfun.Engine.Solving;

/// <summary>
/// Decides which checks verify a workspace: the configured <c>[verify]</c> commands, else the linters and
/// builds its files call for that are installed — ruff (or a Python syntax check with python3), eslint,
/// tsc, <c>node --check</c>, <c>go vet</c>, <c>cargo check</c>, <c>dotnet build</c>.
/// </summary>
/// <remarks>Pure apart from asking <see cref="ICommandRunner.IsInstalled"/> and looking for project files.</remarks>
internal static class VerifierDetector
{
    /// <summary>The checks for the workspace.</summary>
    public static IReadOnlyList<VerifyCheck> Detect(IReadOnlyList<WorkspaceFile> files, string root, SolverOptions options, ICommandRunner runner)
    {
        if (options.VerifyCommands.Count > 0)
        {
            return [.. options.VerifyCommands.Select(c => new VerifyCheck("custom", c))];
        }

        var checks = new List<VerifyCheck>();
        bool Has(string ext) => files.Any(f => f.Path.EndsWith(ext, StringComparison.OrdinalIgnoreCase));
        bool AtRoot(string name) => File.Exists(Path.Combine(root, name));
        bool LocalBin(string tool) => File.Exists(Path.Combine(root, "node_modules", ".bin", tool));

        if (Has(".py"))
        {
            if (runner.IsInstalled("ruff"))
            {
                checks.Add(new VerifyCheck("ruff", "ruff check --quiet ."));
            }
            else if (runner.IsInstalled("python3"))
            {
                var pyFiles = files.Where(f => f.Path.EndsWith(".py", StringComparison.OrdinalIgnoreCase)).Take(2000).Select(f => Quote(f.Path));
                checks.Add(new VerifyCheck("python-syntax",
                    "python3 -c \"import ast,sys\nfor f in sys.argv[1:]:\n  ast.parse(open(f,encoding='utf-8').read(), f)\" " + string.Join(' ', pyFiles)));
            }
        }

        var hasTs = Has(".ts") || Has(".tsx");
        if (files.Any(f => Path.GetFileName(f.Path).StartsWith("eslint.config.", StringComparison.Ordinal) || Path.GetFileName(f.Path).StartsWith(".eslintrc", StringComparison.Ordinal)))
        {
            if (LocalBin("eslint"))
            {
                checks.Add(new VerifyCheck("eslint", "node_modules/.bin/eslint ."));
            }
            else if (runner.IsInstalled("eslint"))
            {
                checks.Add(new VerifyCheck("eslint", "eslint ."));
            }
        }

        if (hasTs && AtRoot("tsconfig.json"))
        {
            if (LocalBin("tsc"))
            {
                checks.Add(new VerifyCheck("tsc", "node_modules/.bin/tsc --noEmit -p ."));
            }
            else if (runner.IsInstalled("tsc"))
            {
                checks.Add(new VerifyCheck("tsc", "tsc --noEmit -p ."));
            }
        }

        var js = files.Where(f => f.Path.EndsWith(".js", StringComparison.OrdinalIgnoreCase) || f.Path.EndsWith(".mjs", StringComparison.OrdinalIgnoreCase) || f.Path.EndsWith(".cjs", StringComparison.OrdinalIgnoreCase)).Take(500).ToList();
        if (js.Count > 0 && !checks.Any(c => c.Tool == "eslint") && runner.IsInstalled("node"))
        {
            checks.Add(new VerifyCheck("node-check", string.Join(" && ", js.Select(f => "node --check " + Quote(f.Path)))));
        }

        if (AtRoot("go.mod") && runner.IsInstalled("go"))
        {
            checks.Add(new VerifyCheck("go vet", "go vet ./..."));
        }

        if (AtRoot("Cargo.toml") && runner.IsInstalled("cargo"))
        {
            checks.Add(new VerifyCheck("cargo check", "cargo check --quiet"));
        }

        var dotnetProjects = files.Where(f => !f.Path.Contains('/', StringComparison.Ordinal) && (f.Path.EndsWith(".sln", StringComparison.OrdinalIgnoreCase) || f.Path.EndsWith(".slnx", StringComparison.OrdinalIgnoreCase) || f.Path.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))).ToList();
        if (dotnetProjects.Count == 0)
        {
            dotnetProjects = [.. files.Where(f => f.Path.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase) && f.Path.Count(c => c == '/') == 1)];
        }

        if (dotnetProjects.Count > 0 && runner.IsInstalled("dotnet"))
        {
            var target = dotnetProjects.Count == 1 ? " " + Quote(dotnetProjects[0].Path) : string.Empty;
            checks.Add(new VerifyCheck("dotnet build", $"dotnet build{target} -nologo -v q -clp:NoSummary"));
        }

        return checks;
    }

    private static string Quote(string path) => "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

/// <summary>One check: the tool's name and the command that runs it.</summary>
internal sealed record VerifyCheck(string Tool, string Command);
