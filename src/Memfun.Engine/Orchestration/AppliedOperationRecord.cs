namespace Memfun.Engine.Orchestration;

/// <summary>
/// The apply journal's entry for one staged operation of a workflow (key <c>wf/&lt;id&gt;/apply/&lt;n&gt;</c>, n its place
/// in the DAG-ordered list): written as <c>intent</c> before the operation touches the file, then <c>applied</c> or
/// <c>conflict</c> after.
/// </summary>
/// <remarks>
/// An <c>intent</c> found on resume means the coordinator died between writing the intent and recording the outcome, so the
/// file is compared with the hashes taken before: the new content's hash (<c>write_file</c>) means it was applied; the hash
/// from before means it was not, and it is applied now; anything else, for <c>write_file</c>, is a change made by someone
/// else, reported as a conflict and not applied; for <c>edit_file</c> (whose result depends on fuzzy matching and is not
/// known in advance) a file that differs from before counts as applied. So no operation is applied twice.
/// </remarks>
/// <param name="Index">Its place in the apply order.</param>
/// <param name="TaskId">The task that staged it.</param>
/// <param name="Tool"><c>write_file</c> or <c>edit_file</c>.</param>
/// <param name="Path">The target path.</param>
/// <param name="State"><c>intent</c>, <c>applied</c> or <c>conflict</c>.</param>
/// <param name="Before">SHA-256 of the file before (hex), or <c>absent</c>.</param>
/// <param name="After">SHA-256 the file has once applied, when known in advance (<c>write_file</c>); else null.</param>
/// <param name="Detail">The conflict, when there is one.</param>
public sealed record AppliedOperationRecord(
    int Index,
    string TaskId,
    string Tool,
    string Path,
    string State,
    string Before,
    string? After,
    string? Detail = null);
