using Memfun.Tools;

namespace Memfun.Engine.Solving;

/// <summary>A batch of operations was refused before anything was written; <see cref="Problems"/> says why, one per operation.</summary>
public sealed class OperationsRejectedException : MemfunToolException
{
    /// <summary>Creates the exception from the problems found.</summary>
    public OperationsRejectedException(IReadOnlyList<string> problems)
        : base("The changes were not applied (nothing was written): " + string.Join("; ", problems))
    {
        Problems = problems;
    }

    /// <summary>Creates the exception with a message.</summary>
    public OperationsRejectedException(string message) : base(message) => Problems = [message];

    /// <summary>Creates the exception with a message and cause.</summary>
    public OperationsRejectedException(string message, Exception innerException) : base(message, innerException) => Problems = [message];

    /// <summary>Creates the exception with a generic message.</summary>
    public OperationsRejectedException() : base("The changes were not applied.") => Problems = [];

    /// <summary>What was wrong, one entry per refused operation.</summary>
    public IReadOnlyList<string> Problems { get; }
}
