using Memfun.Tools;

namespace Memfun.Engine.Llm;

/// <summary>A request ran over its token or time budget; nothing further is sent to the model.</summary>
public sealed class LlmBudgetExceededException : MemfunToolException
{
    /// <summary>Creates the exception with a message naming the budget and how to raise it.</summary>
    public LlmBudgetExceededException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public LlmBudgetExceededException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a generic message.</summary>
    public LlmBudgetExceededException() : base("The request ran over its model budget.") { }
}
