using System.Globalization;
using System.Text;
using Memfun.Tools.Files;
using Memfun.Tools.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Memfun.Tools.Tests.Files;

/// <summary>
/// edit_file on a corpus of edits made from real source files (C#, Python, TypeScript, Go) with the drifts models
/// send: every edit either lands exactly as meant — the file's own lines untouched — or is refused; none lands in a
/// wrong place or rewrites a line the model did not mean to change.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EditCorpusTests(ITestOutputHelper output) : IDisposable
{
    private readonly WorkspaceFolder _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public void Drifted_edits_change_only_what_the_model_meant()
    {
        var cases = EditCorpus.Generate(EditCorpus.Sources(Path.Combine(AppContext.BaseDirectory, "Files", "EditCorpus")), perKindPerFile: 8);
        var outcomes = cases.Select(Run).ToList();

        var report = new StringBuilder("kind              cases  clean  refused  wrong\n");
        foreach (var kind in EditCorpus.Kinds)
        {
            var of = outcomes.Where(o => o.Case.Kind == kind).ToList();
            report.Append(CultureInfo.InvariantCulture,
                $"{kind,-17} {of.Count,5}  {of.Count(o => o.Outcome == "clean"),5}  {of.Count(o => o.Outcome == "refused"),7}  {of.Count(o => o.Outcome == "wrong"),5}\n");
        }

        output.WriteLine(report.ToString());
        foreach (var o in outcomes.Where(o => o.Outcome != "clean"))
        {
            output.WriteLine($"{o.Outcome}: {o.Case.Kind} {o.Case.File}:{o.Case.Line}: {o.Detail}");
        }

        Assert.True(cases.Count >= 150, $"the corpus has {cases.Count} edits; at least 150 are needed");
        Assert.Equal(4, cases.Select(c => Path.GetExtension(c.File)).Distinct().Count());
        var wrong = outcomes.Where(o => o.Outcome == "wrong").ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} edits changed the file other than meant:\n{string.Join("\n", wrong.Take(5).Select(w => $"{w.Case.Kind} {w.Case.File}:{w.Case.Line}\n{w.Detail}"))}\n{report}");
        foreach (var kind in EditCorpus.Kinds)
        {
            var of = outcomes.Where(o => o.Case.Kind == kind).ToList();
            var clean = (double)of.Count(o => o.Outcome == "clean") / of.Count;
            Assert.True(clean >= (kind == "slip" ? 0.80 : 0.98), $"{kind}: {clean:P0} landed cleanly\n{report}");
        }
    }

    private (EditCase Case, string Outcome, string Detail) Run(EditCase c)
    {
        var path = Path.Combine(_ws.Path, c.File);
        File.WriteAllText(path, c.Original);
        try
        {
            _ws.Editor.Edit(c.File, c.OldText, c.NewText, replaceAll: false, dryRun: false);
        }
        catch (EditMatchException ex)
        {
            return (c, "refused", ex.Message.Split('\n')[0]);
        }

        var after = File.ReadAllText(path);
        return after == c.Expected ? (c, "clean", string.Empty) : (c, "wrong", UnifiedDiff.Render(c.Expected, after, c.File));
    }
}
