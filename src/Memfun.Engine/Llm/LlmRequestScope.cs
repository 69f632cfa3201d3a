namespace Memfun.Engine.Llm;

/// <summary>
/// One request's model usage and budget (tokens and wall-clock time). Begin one per tool call; every
/// chat client from <see cref="IChatClientFactory"/> called inside it (same async flow) counts into it and
/// stops with <see cref="LlmBudgetExceededException"/> when it runs over.
/// </summary>
/// <remarks>Thread-safe. Disposing ends the scope for the current flow and restores the outer one.</remarks>
public sealed class LlmRequestScope : IDisposable
{
    private static readonly AsyncLocal<LlmRequestScope?> CurrentScope = new();
    private readonly Lock _gate = new();
    private readonly LlmRequestScope? _outer;
    private readonly List<LlmUsage> _calls = [];
    private LlmUsage _total = LlmUsage.Zero;

    private LlmRequestScope(long tokenBudget, TimeSpan timeBudget, TimeProvider time)
    {
        TokenBudget = tokenBudget;
        TimeBudget = timeBudget;
        Time = time;
        Started = time.GetTimestamp();
        _outer = CurrentScope.Value;
    }

    /// <summary>The scope of the current async flow, or null outside a request.</summary>
    public static LlmRequestScope? Current => CurrentScope.Value;

    /// <summary>Tokens (prompt + completion) the request may use; 0 or less = unlimited.</summary>
    public long TokenBudget { get; }

    /// <summary>Wall-clock time the request may take; <see cref="TimeSpan.Zero"/> or less = unlimited.</summary>
    public TimeSpan TimeBudget { get; }

    internal TimeProvider Time { get; }

    internal long Started { get; }

    /// <summary>Usage so far, summed.</summary>
    public LlmUsage Usage { get { lock (_gate) { return _total; } } }

    /// <summary>Usage of each call so far, in order.</summary>
    public IReadOnlyList<LlmUsage> Calls { get { lock (_gate) { return [.. _calls]; } } }

    /// <summary>Time left in the budget; null when unlimited.</summary>
    public TimeSpan? Remaining => TimeBudget <= TimeSpan.Zero ? null : TimeBudget - Time.GetElapsedTime(Started);

    /// <summary>Starts a scope for the current async flow.</summary>
    public static LlmRequestScope Begin(long tokenBudget, TimeSpan timeBudget, TimeProvider? time = null)
    {
        var scope = new LlmRequestScope(tokenBudget, timeBudget, time ?? TimeProvider.System);
        CurrentScope.Value = scope;
        return scope;
    }

    /// <summary>Starts a scope with the budget of <paramref name="options"/>.</summary>
    public static LlmRequestScope Begin(LlmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Begin(options.RequestTokenBudget, options.RequestTimeout);
    }

    internal void Record(LlmUsage call)
    {
        lock (_gate)
        {
            _calls.Add(call);
            _total = _total.Add(call);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (ReferenceEquals(CurrentScope.Value, this))
        {
            CurrentScope.Value = _outer;
        }
    }
}
