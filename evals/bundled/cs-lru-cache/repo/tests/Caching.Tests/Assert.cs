/// <summary>Marks a public method of a test class as a test.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TestAttribute : Attribute;

/// <summary>Thrown by <see cref="Assert"/> when a check fails.</summary>
public sealed class AssertionException(string message) : Exception(message);

/// <summary>The few assertions the tests need.</summary>
public static class Assert
{
    public static void Equal<T>(T expected, T actual)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            throw new AssertionException($"expected <{expected}>, got <{actual}>");
        }
    }

    public static void Sequence<T>(IEnumerable<T> expected, IEnumerable<T> actual)
    {
        var e = expected.ToList();
        var a = actual.ToList();
        if (!e.SequenceEqual(a))
        {
            throw new AssertionException($"expected [{string.Join(", ", e)}], got [{string.Join(", ", a)}]");
        }
    }

    public static void True(bool condition, string what = "condition")
    {
        if (!condition)
        {
            throw new AssertionException($"expected {what} to be true");
        }
    }

    public static TException Throws<TException>(Action action) where TException : Exception
    {
        try
        {
            action();
        }
        catch (TException ex)
        {
            return ex;
        }
        catch (Exception ex)
        {
            throw new AssertionException($"expected {typeof(TException).Name}, got {ex.GetType().Name}: {ex.Message}");
        }
        throw new AssertionException($"expected {typeof(TException).Name}, nothing was thrown");
    }
}
