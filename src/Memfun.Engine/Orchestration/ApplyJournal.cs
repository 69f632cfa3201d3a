using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Memfun.Engine.Orchestration;

/// <summary>
/// Applies a workflow's staged operations at most once each across coordinator restarts: an <c>intent</c> entry with the
/// file's hash goes to the store before the operation, its outcome after; see <see cref="AppliedOperationRecord"/> for how
/// an <c>intent</c> left by a killed coordinator is settled.
/// </summary>
internal sealed class ApplyJournal(WorkflowStore store, string workflowId, Func<string, CancellationToken, Task<byte[]?>> readFile)
{
    private const string Absent = "absent";

    /// <summary>Applies operation <paramref name="index"/> unless the journal says it already was; returns its conflict or null.</summary>
    public async Task<string?> ApplyOnceAsync(int index, StagedOperation op, Func<StagedOperation, CancellationToken, Task<string?>> apply, CancellationToken cancellationToken)
    {
        var entry = await store.GetAppliedAsync(workflowId, index, cancellationToken).ConfigureAwait(false);
        switch (entry?.State)
        {
            case "applied":
                return null;
            case "conflict":
                return entry.Detail;
            case "intent":
            {
                var now = await HashAsync(op.Path, cancellationToken).ConfigureAwait(false);
                var took = entry.After is { } after ? now == after : now != entry.Before;
                if (took)
                {
                    await store.PutAppliedAsync(workflowId, entry with { State = "applied" }, cancellationToken).ConfigureAwait(false);
                    return null;
                }

                if (now != entry.Before)
                {
                    var detail = $"Task {op.TaskId}: {op.Tool} {op.Path} was not applied: the file changed outside the workflow while its coordinator was down.";
                    await store.PutAppliedAsync(workflowId, entry with { State = "conflict", Detail = detail }, cancellationToken).ConfigureAwait(false);
                    return detail;
                }

                break; // the coordinator died before the operation touched the file: apply it now
            }

            default:
                entry = new AppliedOperationRecord(index, op.TaskId, op.Tool, op.Path, "intent", await HashAsync(op.Path, cancellationToken).ConfigureAwait(false), After(op));
                await store.PutAppliedAsync(workflowId, entry, cancellationToken).ConfigureAwait(false);
                break;
        }

        var conflict = await apply(op, cancellationToken).ConfigureAwait(false);
        await FaultPoint.ReachAsync("workflow.applied", cancellationToken).ConfigureAwait(false);
        await store.PutAppliedAsync(workflowId, entry with { State = conflict is null ? "applied" : "conflict", Detail = conflict }, cancellationToken).ConfigureAwait(false);
        return conflict;
    }

    /// <summary>The hash a <c>write_file</c> leaves (its content as UTF-8); null for an edit, whose result is not known in advance.</summary>
    private static string? After(StagedOperation op) =>
        op.Tool == "write_file" && op.Arguments.GetValueOrDefault("content") is { } content ? Hash(Encoding.UTF8.GetBytes(Text(content))) : null;

    private static string Text(object value) => value is JsonElement { ValueKind: JsonValueKind.String } e ? e.GetString()! : value.ToString() ?? string.Empty;

    /// <summary>The file's hash, its UTF-8 byte order mark left out (write_file keeps a file's mark); <c>absent</c> when it does not exist.</summary>
    private async Task<string> HashAsync(string path, CancellationToken cancellationToken) =>
        await readFile(path, cancellationToken).ConfigureAwait(false) is { } bytes
            ? Hash(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? bytes[Encoding.UTF8.Preamble.Length..] : bytes)
            : Absent;

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
