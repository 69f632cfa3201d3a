using System.Reflection;

// A dependency-free test runner: `dotnet run -- [Class.Method ...]` runs the named tests (all when
// none are named), prints PASS/FAIL per test and exits 1 when a test fails or a name is unknown.
var tests = typeof(TestAttribute).Assembly.GetTypes()
    .SelectMany(type => type.GetMethods()
        .Where(method => method.GetCustomAttribute<TestAttribute>() is not null)
        .Select(method => (Id: $"{type.Name}.{method.Name}", Type: type, Method: method)))
    .ToDictionary(test => test.Id);

var selected = args.Length == 0 ? tests.Keys.Order().ToList() : args.ToList();
var failed = 0;
foreach (var id in selected)
{
    if (!tests.TryGetValue(id, out var test))
    {
        Console.WriteLine($"UNKNOWN {id}");
        failed++;
        continue;
    }
    try
    {
        var instance = test.Method.IsStatic ? null : Activator.CreateInstance(test.Type);
        if (test.Method.Invoke(instance, null) is Task task)
        {
            await task;
        }
        Console.WriteLine($"PASS {id}");
    }
    catch (Exception ex)
    {
        var cause = ex is TargetInvocationException { InnerException: { } inner } ? inner : ex;
        Console.WriteLine($"FAIL {id}: {cause.GetType().Name}: {cause.Message}");
        failed++;
    }
}
Console.WriteLine($"{selected.Count - failed} passed, {failed} failed");
return failed == 0 ? 0 : 1;
