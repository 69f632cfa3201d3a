using Memfun.Tools;

namespace Memfun.Engine.Orchestration;

/// <summary>A plan is not a valid DAG: unknown agent, missing dependency, a cycle, too many tasks.</summary>
public sealed class WorkflowPlanException : MemfunToolException
{
    /// <summary>Creates the exception with every problem found.</summary>
    public WorkflowPlanException(IReadOnlyList<string> problems)
        : base("The workflow plan is invalid: " + string.Join(" ", problems))
    {
        Problems = problems;
    }

    /// <summary>Creates the exception with one problem.</summary>
    public WorkflowPlanException(string message) : this([message]) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public WorkflowPlanException(string message, Exception innerException) : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public WorkflowPlanException() : this("The workflow plan is invalid.") { }

    /// <summary>Each problem, as a sentence.</summary>
    public IReadOnlyList<string> Problems { get; }
}
