using System.CommandLine;
using Kindling.Cli;
using Kindling.Cli.Commands;

namespace Kindling.Tests.Cli;

/// <summary>
/// Every number-like option of every command (ports, counts, sizes, durations) refuses values outside its range at
/// parse time, in the user's words; found from the command tree, so a new option is covered without a new test.
/// </summary>
public sealed class NumericOptionRangeTests
{
    private static readonly Type[] NumericTypes =
        [typeof(int), typeof(int?), typeof(long), typeof(long?), typeof(double), typeof(double?), typeof(TimeSpan), typeof(TimeSpan?), typeof(CliDuration)];

    private static RootCommand Tree() => CliApp.Build(new CliContext
    {
        Stdout = TextWriter.Null,
        Stderr = TextWriter.Null,
        Console = CliContext.CreateConsole(TextWriter.Null, ansi: false, interactive: false),
        ErrorConsole = CliContext.CreateConsole(TextWriter.Null, ansi: false, interactive: false),
        WorkingDirectory = Path.GetTempPath(),
    });

    private static IEnumerable<(string Path, Command Command)> Leaves(Command command, string prefix = "")
    {
        foreach (var sub in command.Subcommands.Where(c => !c.Hidden))
        {
            var path = prefix.Length == 0 ? sub.Name : $"{prefix} {sub.Name}";
            if (sub.Subcommands.Count == 0) yield return (path, sub);
            else foreach (var leaf in Leaves(sub, path)) yield return leaf;
        }
    }

    [Fact]
    public void Every_numeric_option_rejects_huge_negative_and_non_numeric_values()
    {
        var root = Tree();
        var checkedOptions = new List<string>();
        foreach (var (path, command) in Leaves(root))
        {
            foreach (var option in command.Options.Where(o => NumericTypes.Contains(o.ValueType)))
            {
                foreach (var bad in new[] { "99999999999999999999", "-1", "70000000h", "abc", "1e400" })
                {
                    var args = path.Split(' ').Concat([option.Name, bad]).ToArray();
                    var parse = root.Parse(args);
                    var because = $"'kindling {string.Join(' ', args)}'";
                    parse.Errors.Should().NotBeEmpty(because);
                    parse.Errors.Should().OnlyContain(e => !e.Message.Contains("System.", StringComparison.Ordinal), because);
                    parse.Errors.Should().Contain(e => e.Message.Contains(option.Name, StringComparison.Ordinal), because);
                }
                checkedOptions.Add($"{path} {option.Name}");
            }
        }
        // The options the issue names are among those found (a rename would otherwise empty this test silently).
        checkedOptions.Should().Contain(["history --port", "notebook --port", "ui --port", "logs --tail", "up --timeout", "submit --executors"]);
    }

    [Theory]
    [InlineData("history", "--port", "70000")]
    [InlineData("notebook", "--port", "65536")]
    [InlineData("ui", "--port", "-1")]
    [InlineData("logs", "--tail", "-5")]
    public void Out_of_range_ports_and_counts_are_parse_errors(string command, string option, string value)
    {
        var parse = Tree().Parse([command, option, value]);
        parse.Errors.Select(e => e.Message).Should().ContainSingle(m => m.StartsWith($"{option} {value}:", StringComparison.Ordinal));
    }
}
