namespace Memfun.Engine.Orchestration;

/// <summary>The workflow was cancelled (<c>workflow_control</c> cancel) while it ran; nothing more of it runs or is applied.</summary>
public sealed class WorkflowCancelledException : Exception
{
    /// <summary>Creates the exception for workflow <paramref name="workflowId"/>.</summary>
    public WorkflowCancelledException(string workflowId, string? detail)
        : base($"Workflow {workflowId} was cancelled{(detail is null ? string.Empty : ": " + detail)}.") => WorkflowId = workflowId;

    /// <summary>Creates the exception with a message.</summary>
    public WorkflowCancelledException()
        : this("?", (string?)null)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public WorkflowCancelledException(string message)
        : base(message) => WorkflowId = "?";

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public WorkflowCancelledException(string message, Exception innerException)
        : base(message, innerException) => WorkflowId = "?";

    /// <summary>The workflow.</summary>
    public string WorkflowId { get; }
}
