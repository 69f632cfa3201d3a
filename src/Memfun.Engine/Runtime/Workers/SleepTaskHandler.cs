using System.Globalization;
using System.Text.Json;

namespace Memfun.Engine.Runtime.Workers;

/// <summary><c>sleep</c>: waits <c>{"ms": N}</c> milliseconds (at most 10 minutes), then returns <c>{"slept": N}</c>.</summary>
internal sealed class SleepTaskHandler : ITaskHandler
{
    public string Kind => "sleep";

    public async ValueTask<string> HandleAsync(TaskContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var doc = JsonDocument.Parse(context.Payload);
        var ms = doc.RootElement.TryGetProperty("ms", out var v) ? Math.Clamp(v.GetInt32(), 0, 600_000) : 100;
        await Task.Delay(ms, cancellationToken).ConfigureAwait(false);
        return string.Create(CultureInfo.InvariantCulture, $"{{\"slept\":{ms}}}");
    }
}
