using System.Text;

namespace Memfun.Engine.Repl.Host;

/// <summary>Writes a runtime type as C# source, the way a later submission can name it.</summary>
internal static class ScriptTypeNames
{
    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(bool)] = "bool", [typeof(byte)] = "byte", [typeof(sbyte)] = "sbyte", [typeof(char)] = "char",
        [typeof(short)] = "short", [typeof(ushort)] = "ushort", [typeof(int)] = "int", [typeof(uint)] = "uint",
        [typeof(long)] = "long", [typeof(ulong)] = "ulong", [typeof(float)] = "float", [typeof(double)] = "double",
        [typeof(decimal)] = "decimal", [typeof(string)] = "string", [typeof(object)] = "object",
    };

    /// <summary>True when the type was declared by a script submission (a class the user wrote).</summary>
    public static bool IsSubmissionType(Type type)
    {
        var outer = type;
        while (outer.DeclaringType is not null)
        {
            outer = outer.DeclaringType;
        }

        return outer.Name.StartsWith("Submission#", StringComparison.Ordinal);
    }

    /// <summary>The C# name of <paramref name="type"/>, or null when source cannot name it (anonymous or compiler-generated).</summary>
    public static string? TryFormat(Type type)
    {
        try
        {
            return Format(type);
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>A readable name for summaries: the C# name when there is one, else the runtime name.</summary>
    public static string Display(Type type) => TryFormat(type)?.Replace("global::", string.Empty, StringComparison.Ordinal) ?? (type.Name.Contains("AnonymousType", StringComparison.Ordinal) ? "anonymous" : type.Name);

    private static string Format(Type type)
    {
        if (Keywords.TryGetValue(type, out var keyword))
        {
            return keyword;
        }

        if (type.IsArray)
        {
            return Format(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]";
        }

        if (type.IsPointer || type.IsByRef || type.IsGenericParameter)
        {
            throw new NotSupportedException();
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Format(underlying) + "?";
        }

        if (type.Name.Contains('<', StringComparison.Ordinal) || type.Name.StartsWith("Submission#", StringComparison.Ordinal))
        {
            throw new NotSupportedException();
        }

        var sb = new StringBuilder();
        var args = type.IsGenericType ? type.GetGenericArguments() : [];
        var used = 0;
        AppendName(sb, type, args, ref used);
        return sb.ToString();
    }

    private static void AppendName(StringBuilder sb, Type type, Type[] args, ref int used)
    {
        if (type.DeclaringType is { } outer)
        {
            if (outer.Name.StartsWith("Submission#", StringComparison.Ordinal))
            {
                // Types declared in a submission are named by their simple name in later submissions.
            }
            else
            {
                AppendName(sb, outer, args, ref used);
                sb.Append('.');
            }
        }
        else
        {
            sb.Append("global::");
            if (!string.IsNullOrEmpty(type.Namespace))
            {
                sb.Append(type.Namespace).Append('.');
            }
        }

        var name = type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick < 0)
        {
            sb.Append(name);
            return;
        }

        var count = int.Parse(name.AsSpan(tick + 1), System.Globalization.CultureInfo.InvariantCulture);
        sb.Append(name, 0, tick).Append('<');
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            sb.Append(Format(args[used + i]));
        }

        used += count;
        sb.Append('>');
    }
}
