namespace Memfun.McpServer.Evals;

/// <summary>
/// The model calls of one task and their tokens. A call whose provider reported no input (or output) count makes
/// that total unknown (<see langword="null"/>), never 0.
/// </summary>
/// <remarks>Thread-safe: the workflow's agents call the model in parallel.</remarks>
internal sealed class EvalUsage
{
    private int _calls;
    private long _input;
    private long _output;
    private int _inputUnknown;
    private int _outputUnknown;

    public int Calls => Volatile.Read(ref _calls);

    public long? InputTokens => Volatile.Read(ref _inputUnknown) > 0 ? null : Interlocked.Read(ref _input);

    public long? OutputTokens => Volatile.Read(ref _outputUnknown) > 0 ? null : Interlocked.Read(ref _output);

    public void Record(long? input, long? output)
    {
        Interlocked.Increment(ref _calls);
        if (input is { } i)
        {
            Interlocked.Add(ref _input, i);
        }
        else
        {
            Interlocked.Increment(ref _inputUnknown);
        }

        if (output is { } o)
        {
            Interlocked.Add(ref _output, o);
        }
        else
        {
            Interlocked.Increment(ref _outputUnknown);
        }
    }
}
