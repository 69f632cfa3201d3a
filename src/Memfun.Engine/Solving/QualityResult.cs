namespace Memfun.Engine.Solving;

/// <summary>What the quality pipeline found and did after a change (see <see cref="QualityPipeline"/>).</summary>
/// <param name="Verdict"><c>ok</c> (checks pass, review ok or polished), <c>needs_changes</c> (checks pass, review problems
/// left), <c>verification_failed</c> (checks still fail after the fix cycles) or <c>unchanged</c> (no file changed; nothing ran).</param>
/// <param name="Message">One sentence for a person or a model: files, checks, review.</param>
/// <param name="ChangedFiles">Files that differ from before the change (relative paths).</param>
/// <param name="Lint">Checks run, in order (phases <c>agent</c>, <c>fix 1</c>, <c>fix 2</c>, <c>polish</c>).</param>
/// <param name="Review">The consistency review's verdict, or null when it was unusable.</param>
/// <param name="FixCycles">Edit-only fix passes run after failed checks (at most <see cref="SolverOptions.MaxFixCycles"/>).</param>
/// <param name="Polished">True when a polish pass was applied after the review.</param>
/// <param name="Operations">Edits applied by the fix and polish passes.</param>
/// <param name="Notes">Answers that could not be used, and the like.</param>
/// <param name="InputTokens">Prompt tokens of the pipeline's own model calls.</param>
/// <param name="OutputTokens">Completion tokens of the pipeline's own model calls.</param>
public sealed record QualityResult(
    string Verdict,
    string Message,
    IReadOnlyList<string> ChangedFiles,
    IReadOnlyList<LintResult> Lint,
    ReviewVerdict? Review,
    int FixCycles,
    bool Polished,
    IReadOnlyList<AppliedOperation> Operations,
    IReadOnlyList<string> Notes,
    long InputTokens,
    long OutputTokens);
