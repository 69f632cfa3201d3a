using System.Diagnostics;

namespace Memfun.Bench.Search;

/// <summary>A real 10k+-file source tree: a few big npm packages installed into a scratch folder (once; reused).</summary>
internal static class BenchTree
{
    public static readonly string[] Packages = ["typescript", "@types/node", "lodash", "rxjs", "@angular/core", "webpack", "eslint", "date-fns", "three"];

    public static async Task<string> EnsureAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        if (Directory.Exists(Path.Combine(folder, "node_modules", "typescript")))
        {
            return folder;
        }

        await File.WriteAllTextAsync(Path.Combine(folder, "package.json"), """{"name":"memfun-bench-tree","version":"1.0.0","private":true}""");
        var psi = new ProcessStartInfo("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", .. Packages])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Console.WriteLine($"Installing {string.Join(' ', Packages)} into {folder} …");
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm install failed: {await stderr}");
        }

        return folder;
    }
}
