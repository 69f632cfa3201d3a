namespace Memfun.McpServer.Evals;

/// <summary>A suite or task that cannot be read or prepared; the message names the file and what to fix.</summary>
internal sealed class EvalSuiteException : Exception
{
    public EvalSuiteException()
    {
    }

    public EvalSuiteException(string message)
        : base(message)
    {
    }

    public EvalSuiteException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
