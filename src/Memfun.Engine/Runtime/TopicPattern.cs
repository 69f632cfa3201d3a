using System.Buffers;

namespace Memfun.Engine.Runtime;

/// <summary>Validates topics and matches them against subscription patterns (<c>*</c> one segment, <c>&gt;</c>/<c>**</c> the rest).</summary>
internal sealed class TopicPattern
{
    private static readonly SearchValues<char> SegmentChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");

    private readonly string[] _segments;
    private readonly bool _tail;

    private TopicPattern(string text, string[] segments, bool tail)
    {
        Text = text;
        _segments = segments;
        _tail = tail;
    }

    /// <summary>The pattern in NATS form (<c>**</c> written as <c>&gt;</c>).</summary>
    public string Text { get; }

    /// <summary>Whether the pattern has no wildcard.</summary>
    public bool IsLiteral => !_tail && Array.IndexOf(_segments, "*") < 0;

    public static TopicPattern Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var parts = pattern.Split('.');
        var tail = false;
        for (var i = 0; i < parts.Length; i++)
        {
            var p = parts[i];
            if (p is ">" or "**")
            {
                if (i != parts.Length - 1)
                {
                    throw new ArgumentException($"The pattern '{pattern}' has '{p}' before its last segment; it may only end a pattern (e.g. 'task.>').", nameof(pattern));
                }

                tail = true;
                parts[i] = ">";
            }
            else if (p != "*")
            {
                CheckSegment(p, pattern, nameof(pattern));
            }
        }

        return new TopicPattern(string.Join('.', parts), tail ? parts[..^1] : parts, tail);
    }

    public static void ValidateTopic(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (topic.Length > 256)
        {
            throw new ArgumentException($"The topic '{topic[..40]}…' is longer than 256 characters.", nameof(topic));
        }

        var rest = topic.AsSpan();
        while (true)
        {
            var dot = rest.IndexOf('.');
            var segment = dot < 0 ? rest : rest[..dot];
            if (segment.IsEmpty || segment.ContainsAnyExcept(SegmentChars))
            {
                CheckSegment(segment.ToString(), topic, nameof(topic));
            }

            if (dot < 0)
            {
                return;
            }

            rest = rest[(dot + 1)..];
        }
    }

    public bool Matches(string topic)
    {
        var segment = 0;
        var start = 0;
        while (true)
        {
            var dot = topic.IndexOf('.', start);
            var end = dot < 0 ? topic.Length : dot;
            if (segment >= _segments.Length)
            {
                return _tail;
            }

            var expected = _segments[segment];
            if (expected != "*" && !topic.AsSpan(start, end - start).SequenceEqual(expected))
            {
                return false;
            }

            segment++;
            if (dot < 0)
            {
                return segment == _segments.Length && !_tail;
            }

            start = dot + 1;
        }
    }

    private static void CheckSegment(string segment, string whole, string paramName)
    {
        if (segment.Length == 0 || segment.AsSpan().ContainsAnyExcept(SegmentChars))
        {
            throw new ArgumentException(
                $"The topic '{whole}' is not valid: segments are separated by '.', non-empty, and use only letters, digits, '-' and '_'.",
                paramName);
        }
    }
}
