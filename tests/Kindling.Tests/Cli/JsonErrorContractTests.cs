using System.CommandLine;
using System.Text.Json;
using Kindling.Cli;
using Kindling.Testing.FakeKube;

namespace Kindling.Tests.Cli;

/// <summary>
/// With <c>-o json</c> a failure is one JSON document on stdout, <c>{"error": {"code", "message", "location"}}</c>,
/// beside the human message on stderr (issue 10 §4), for each class of failure: bad input (exit 2) on every command
/// that offers JSON, and a cluster error (exit 1) on the cluster commands.
/// </summary>
public sealed class JsonErrorContractTests
{
    private static readonly Dictionary<string, string[]> BaseArgs = new(StringComparer.Ordinal)
    {
        ["submit"] = ["app.py"],
        ["kill"] = ["spark-0123"],
        ["down"] = ["--yes"],
        ["infra apply"] = ["--auto-approve"],
        ["infra destroy"] = ["--auto-approve"],
    };

    private static IEnumerable<(string Path, Command Command)> JsonCommands()
    {
        var root = CliApp.Build(new CliContext
        {
            Stdout = TextWriter.Null,
            Stderr = TextWriter.Null,
            Console = CliContext.CreateConsole(TextWriter.Null, ansi: false, interactive: false),
            ErrorConsole = CliContext.CreateConsole(TextWriter.Null, ansi: false, interactive: false),
            WorkingDirectory = Path.GetTempPath(),
        });
        static IEnumerable<(string, Command)> Leaves(Command command, string prefix)
        {
            foreach (var sub in command.Subcommands.Where(c => !c.Hidden))
            {
                var path = prefix.Length == 0 ? sub.Name : $"{prefix} {sub.Name}";
                if (sub.Subcommands.Count == 0) yield return (path, sub);
                else foreach (var leaf in Leaves(sub, path)) yield return leaf;
            }
        }
        return Leaves(root, "").Where(l => l.Item2.Options.FirstOrDefault(o => o.Name == "--output")?.HelpName?.Split('|').Contains("json") == true);
    }

    /// <summary>The error object, checked for its shape; returns it.</summary>
    private static JsonElement ErrorObject(CliResult result, string because)
    {
        using var doc = JsonDocument.Parse(result.Stdout);
        doc.RootElement.ValueKind.Should().Be(JsonValueKind.Object, because);
        doc.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal(["error"], because);
        var error = doc.RootElement.GetProperty("error").Clone();
        error.GetProperty("code").GetString().Should().MatchRegex("^[a-z_]+$", because);
        error.GetProperty("message").GetString().Should().NotBeNullOrWhiteSpace(because);
        error.TryGetProperty("location", out var location).Should().BeTrue($"location is always present, null when unknown: {because}");
        location.ValueKind.Should().BeOneOf([JsonValueKind.String, JsonValueKind.Null], because);
        result.Stderr.Should().Contain("error:", $"the human message is on stderr too: {because}");
        (result.Stdout + result.Stderr).Should().NotContain("   at ", because);
        return error;
    }

    [Fact]
    public async Task Bad_input_on_every_json_command_is_exit_2_with_the_error_object_located_at_the_flag()
    {
        using var dir = new TempDir();
        dir.Write("app.py", "print('hi')\n");
        var commands = JsonCommands().ToList();
        commands.Select(c => c.Path).Should().Contain(["apps", "submit", "status", "up", "down", "kill", "render", "doctor"]);
        foreach (var (path, command) in commands)
        {
            // Positionals first, so the unknown flag cannot be taken for one; submit's application comes last (spark-submit's rule).
            var positional = BaseArgs.GetValueOrDefault(path) ?? [];
            var args = path == "submit"
                ? path.Split(' ').Concat(["-o", "json", "--no-such-flag"]).Concat(positional).ToArray()
                : path.Split(' ').Concat(positional).Concat(["-o", "json", "--no-such-flag"]).ToArray();
            var result = await CliHarness.RunAsync(new CliRun(dir.Path) { Environment = new Dictionary<string, string?> { ["HOME"] = dir.Path, ["KUBECONFIG"] = null } }, args);
            var because = $"kindling {string.Join(' ', args)}\n{result}";

            result.ExitCode.Should().Be(2, because);
            var error = ErrorObject(result, because);
            error.GetProperty("code").GetString().Should().Be("invalid_input", because);
            error.GetProperty("message").GetString().Should().Contain("--no-such-flag", because);
            error.GetProperty("location").GetString().Should().Be("--no-such-flag", because);
        }
    }

    [Fact]
    public async Task A_config_error_is_exit_2_with_the_kindling_yaml_location()
    {
        using var dir = new TempDir();
        var config = dir.Write("kindling.yaml", "name: demo\nspark:\n  executors:\n    memory: lots\n");

        var result = await CliHarness.RunAsync(new CliRun(dir.Path) { Environment = new Dictionary<string, string?> { ["HOME"] = dir.Path } },
            "render", "-o", "json", "-f", config, "--output-dir", "out");

        var because = result.ToString();
        result.ExitCode.Should().Be(2, because);
        var error = ErrorObject(result, because);
        error.GetProperty("code").GetString().Should().Be("invalid_input");
        error.GetProperty("location").GetString().Should().MatchRegex(@"kindling\.yaml:4:\d+", because);
        error.GetProperty("message").GetString().Should().Contain("spark.executors.memory");
    }

    [Theory]
    [InlineData("apps")]
    [InlineData("kill", "spark-0123")]
    [InlineData("down", "--yes")]
    [InlineData("submit", "app.py")]
    public async Task A_cluster_error_is_exit_1_with_the_error_object(string command, params string[] rest)
    {
        await using var kube = await FakeKubeServer.StartAsync();
        using var dir = new TempDir();
        dir.Write("app.py", "print('hi')\n");
        var kubeconfig = dir.File("kubeconfig");
        kube.WriteKubeconfig(kubeconfig);
        // Forbidden is final (never retried): every request is refused as an identity without rights would be.
        kube.Faults.FailNext(10_000, 403);

        var args = new[] { command, "-o", "json", "--kubeconfig", kubeconfig }.Concat(rest).ToArray();
        var result = await CliHarness.RunAsync(new CliRun(dir.Path) { Environment = new Dictionary<string, string?> { ["HOME"] = dir.Path, ["KUBECONFIG"] = null } }, args);

        var because = $"kindling {string.Join(' ', args)}\n{result}";
        result.ExitCode.Should().Be(1, because);
        var error = ErrorObject(result, because);
        error.GetProperty("code").GetString().Should().BeOneOf(["kubernetes_api", "failed"], because);
        result.Stderr.Should().Contain(error.GetProperty("message").GetString()!.Split('\n')[0], because);
    }
}
