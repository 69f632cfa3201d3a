using Memfun.Engine.Repl;

namespace Memfun.Engine.Tests.Repl;

public sealed class ReplSessionTests(WarmReplFixture fixture) : IClassFixture<WarmReplFixture>
{
    private ReplSession Repl => fixture.Session;

    [Fact]
    public async Task Variables_functions_and_types_defined_in_one_step_are_usable_in_later_steps()
    {
        var define = await Repl.ExecuteAsync("var seen = new List<string> { \"a\" }; int Twice(int n) => n * 2; record Point(int X, int Y);");
        Assert.Equal(ReplStepOutcome.Ok, define.Outcome);

        var use = await Repl.ExecuteAsync("seen.Add(\"b\"); var p = new Point(Twice(3), seen.Count); Console.WriteLine($\"{p.X}/{p.Y}\");");

        Assert.Equal(ReplStepOutcome.Ok, use.Outcome);
        Assert.Equal("6/2", use.Output.Trim());
        var vars = await Repl.GetVariablesAsync();
        Assert.Contains(vars, v => v.Name == "seen" && v.Size == 2);
        Assert.Contains(vars, v => v.Name == "p" && v.Type == "Point");
    }

    [Fact]
    public async Task A_final_expression_is_shown_like_a_repl_would()
    {
        var r = await Repl.ExecuteAsync("Enumerable.Range(1, 4).Sum()");
        Assert.Equal("10", r.Output.Trim());
    }

    [Fact]
    public async Task A_step_that_only_names_a_variable_shows_its_current_value_without_compiling()
    {
        await Repl.ExecuteAsync("var shownList = new List<int> { 1, 2 }; string shownNull = null; var @class = 7;");
        await Repl.ExecuteAsync("shownList.Add(3);");
        var before = Repl.HostSubmissions;

        var list = await Repl.ExecuteAsync("  shownList\n");
        var nothing = await Repl.ExecuteAsync("shownNull");
        var verbatim = await Repl.ExecuteAsync("@class");

        Assert.Equal("[1,2,3]", list.Output.Trim());
        Assert.Equal(string.Empty, nothing.Output);
        Assert.Equal("7", verbatim.Output.Trim());
        Assert.Equal(before, Repl.HostSubmissions);
    }

    [Fact]
    public async Task A_name_that_a_later_method_shadows_or_a_keyword_is_compiled_as_usual()
    {
        await Repl.ExecuteAsync("var shadowed = 5; var @true = 9;");
        var define = await Repl.ExecuteAsync("int shadowed() => 6;");
        var before = Repl.HostSubmissions;

        var method = await Repl.ExecuteAsync("shadowed");
        var keyword = await Repl.ExecuteAsync("true");

        Assert.Equal(ReplStepOutcome.Ok, define.Outcome);
        Assert.Contains("Func", method.Output, StringComparison.Ordinal);
        Assert.Equal("true", keyword.Output.Trim());
        Assert.Equal(before + 2, Repl.HostSubmissions);
    }

    [Fact]
    public async Task A_compile_error_is_reported_and_the_state_is_kept()
    {
        await Repl.ExecuteAsync("var kept = 41;");
        var bad = await Repl.ExecuteAsync("int x = \"not a number\";");
        var after = await Repl.ExecuteAsync("kept + 1");

        Assert.Equal(ReplStepOutcome.Error, bad.Outcome);
        Assert.Contains("CS0029", bad.Error, StringComparison.Ordinal);
        Assert.Equal("42", after.Output.Trim());
    }

    [Fact]
    public async Task An_exception_is_reported_with_its_type_and_message()
    {
        var r = await Repl.ExecuteAsync("throw new InvalidOperationException(\"boom\");");
        Assert.Equal(ReplStepOutcome.Error, r.Outcome);
        Assert.Contains("System.InvalidOperationException: boom", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Long_output_keeps_its_head_and_tail_and_says_how_much_was_cut()
    {
        var r = await Repl.ExecuteAsync("for (var i = 0; i < 100_000; i++) Console.WriteLine($\"line {i}\");");

        Assert.StartsWith("line 0\n", r.Output, StringComparison.Ordinal);
        Assert.EndsWith("line 99999\n", r.Output, StringComparison.Ordinal);
        Assert.Contains("characters cut", r.Output, StringComparison.Ordinal);
        Assert.True(r.OutputCut > 1_000_000);
        Assert.True(r.Output.Length < 21_000);
    }

    [Fact]
    public async Task What_a_script_prints_cannot_corrupt_the_protocol()
    {
        var r = await Repl.ExecuteAsync("Console.WriteLine(\"{\\\"type\\\":\\\"done\\\",\\\"id\\\":999,\\\"ok\\\":true}\"); Console.Error.WriteLine(\"to stderr\"); Console.Out.Flush();");
        var next = await Repl.ExecuteAsync("\"still fine\"");

        Assert.Contains("\"type\":\"done\"", r.Output, StringComparison.Ordinal);
        Assert.Contains("to stderr", r.Output, StringComparison.Ordinal);
        Assert.Equal("still fine", next.Output.Trim());
    }

    [Fact]
    public async Task Read_file_through_the_globals_reads_the_workspace()
    {
        var r = await Repl.ExecuteAsync("var text = read_file(\"notes/a.txt\"); text.Split('\\n', StringSplitOptions.RemoveEmptyEntries).Length");
        Assert.Equal("2", r.Output.Trim());
        Assert.Contains("read_file notes/a.txt", r.Calls);
    }

    [Fact]
    public async Task Read_file_outside_the_workspace_is_refused_inside_the_script()
    {
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "memfun-outside.txt"), "secret");
        var r = await Repl.ExecuteAsync("read_file(\"../memfun-outside.txt\")");

        Assert.Equal(ReplStepOutcome.Error, r.Outcome);
        Assert.Contains("outside the workspace", r.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", r.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writing_outside_the_workspace_through_the_globals_is_refused_and_catchable()
    {
        var target = Path.Combine(Path.GetTempPath(), "memfun-escape-" + Guid.NewGuid().ToString("N") + ".txt");
        var r = await Repl.ExecuteAsync($"string said; try {{ write_file(@\"{target}\", \"x\"); said = \"written\"; }} catch (ReplToolException e) {{ said = e.Message; }} said");

        Assert.Contains("outside the workspace", r.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task Write_and_edit_through_the_globals_change_workspace_files()
    {
        var r = await Repl.ExecuteAsync("write_file(\"out/r.txt\", \"one two\"); edit_file(\"out/r.txt\", \"two\", \"three\"); read_file(\"out/r.txt\")");
        Assert.Equal("one three", r.Output.Trim());
        Assert.Equal("one three", File.ReadAllText(Path.Combine(fixture.Host.Workspace, "out/r.txt")));
    }

    [Fact]
    public async Task Edit_file_from_a_script_matches_a_slightly_wrong_old_text_fuzzily()
    {
        var file = fixture.Host.Write("fuzzy/calc.cs", "class Calc\n{\n    int Total(int[] items)\n    {\n        var total = items.Sum();\n        return total;\n    }\n}\n");
        var r = await Repl.ExecuteAsync("edit_file(\"fuzzy/calc.cs\", \"    int Total(int[] itens)\\n    {\\n        var total = items.Sum();\", \"    int Total(int[] items)\\n    {\\n        var total = items.Sum() * 2;\")");

        Assert.Null(r.Error);
        Assert.Contains("fuzzy", r.Output, StringComparison.Ordinal);
        Assert.Contains("var total = items.Sum() * 2;", File.ReadAllText(file), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_file_from_a_script_refuses_to_shrink_a_file_to_a_stub()
    {
        var original = string.Concat(Enumerable.Range(1, 40).Select(i => $"line {i} of the real content\n"));
        var file = fixture.Host.Write("shrink/big.txt", original);
        var r = await Repl.ExecuteAsync("string said; try { write_file(\"shrink/big.txt\", \"// rest unchanged\\n\"); said = \"written\"; } catch (ReplToolException e) { said = e.Message; } said");

        Assert.DoesNotContain("written", r.Output, StringComparison.Ordinal);
        Assert.Contains("allow_shrink", r.Output, StringComparison.Ordinal);
        Assert.Equal(original, File.ReadAllText(file));
    }

    [Fact]
    public async Task The_host_process_gets_no_secrets_from_the_server_environment()
    {
        Assert.Equal("do-not-leak", Environment.GetEnvironmentVariable("MEMFUN_TEST_SECRET"));
        var r = await Repl.ExecuteAsync("string.Join(\",\", Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith(\"MEMFUN\")))");
        Assert.Equal(string.Empty, r.Output.Trim());
    }

    [Fact]
    public async Task Inside_bubblewrap_the_script_cannot_write_the_workspace_directly_nor_open_a_socket()
    {
        Assert.StartsWith("bubblewrap", Repl.SandboxMode, StringComparison.Ordinal);
        var target = Path.Combine(fixture.Host.Workspace, "direct.txt");
        var r = await Repl.ExecuteAsync(
            $"var results = new List<string>(); try {{ File.WriteAllText(@\"{target}\", \"x\"); results.Add(\"wrote\"); }} catch (Exception e) {{ results.Add(e.GetType().Name); }}" +
            "try { using var c = new System.Net.Sockets.TcpClient(); c.Connect(\"1.1.1.1\", 80); results.Add(\"connected\"); } catch (Exception e) { results.Add(e.GetType().Name); }" +
            "string.Join(\",\", results)");

        var parts = r.Output.Trim().Split(',');
        Assert.Equal(2, parts.Length);
        Assert.NotEqual("wrote", parts[0]);
        Assert.Equal("SocketException", parts[1]);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task Final_and_final_var_give_the_answer()
    {
        var direct = await Repl.ExecuteAsync("FINAL(6 * 7);");
        var byName = await Repl.ExecuteAsync("var answer = new[] { \"x\", \"y\" }; FINAL_VAR(\"answer\");");
        var missing = await Repl.ExecuteAsync("FINAL_VAR(\"nope\");");

        Assert.Equal("42", direct.Final);
        Assert.Equal("[\"x\",\"y\"]", byName.Final);
        Assert.Equal(ReplStepOutcome.Error, missing.Outcome);
        Assert.Contains("no variable named 'nope'", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_step_is_recorded_in_the_trace()
    {
        var before = Repl.Trace.StepCount;
        await Repl.ExecuteAsync("var traced = 1;");
        var step = Repl.Trace.Steps[^1];

        Assert.Equal(before + 1, Repl.Trace.StepCount);
        Assert.Equal("var traced = 1;", step.Code);
        Assert.Equal("Ok", step.Outcome);
    }
}
