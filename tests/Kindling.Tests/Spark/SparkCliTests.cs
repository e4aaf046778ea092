using Kindling.Tests.Cli;

namespace Kindling.Tests.Spark;

/// <summary>Commands that need no cluster: dry runs and bad input never open a connection.</summary>
public sealed class SparkCliTests
{
    // A kubeconfig pointing nowhere: if a command tried to contact it, it would fail with exit 1, not succeed or exit 2.
    private static CliRun Offline(TempDir dir) => new(dir.Path)
    {
        Environment = new Dictionary<string, string?> { ["KUBECONFIG"] = dir.Write("kubeconfig", "apiVersion: v1\nkind: Config\n"), ["HOME"] = dir.Path },
    };

    [Fact]
    public async Task Dry_run_prints_sizes_then_the_three_objects_and_sends_nothing()
    {
        using var dir = new TempDir();
        dir.Write("job.py", "print(1)\n");

        var result = await CliHarness.RunAsync(Offline(dir), "submit", "job.py", "--executor-memory", "512m", "--dry-run");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().StartWith("Driver:    1024Mi heap + 409Mi overhead = 1433Mi, cpu 1");
        result.Stdout.Should().Contain("Executors: 2 x 512Mi heap + 384Mi overhead = 896Mi, cpu 1");
        result.Stdout.Should().Contain("kind: Pod").And.Contain("kind: ConfigMap").And.Contain("kind: Service");
        result.Stdout.Should().Contain("local:///opt/kindling/app/job.py");
        result.Stderr.Should().Contain("nothing was sent");
    }

    [Fact]
    public async Task Dry_run_as_json_is_a_list_on_stdout_with_sizes_on_stderr()
    {
        using var dir = new TempDir();

        var result = await CliHarness.RunAsync(Offline(dir), "submit", "s3a://b/app.jar", "--class", "a.Main", "--dry-run", "-o", "json");

        result.ExitCode.Should().Be(0, result.ToString());
        var list = System.Text.Json.Nodes.JsonNode.Parse(result.Stdout)!;
        list["kind"]!.GetValue<string>().Should().Be("List");
        list["items"]!.AsArray().Select(i => i!["kind"]!.GetValue<string>()).Should().Equal("Pod", "ConfigMap", "Service", "ConfigMap");
        result.Stderr.Should().Contain("Driver:");
    }

    [Theory]
    [InlineData("--class", "submit", "app.jar")]
    [InlineData("--conf", "submit", "local:///opt/a.py", "--conf", "novalue")]
    [InlineData("--executor-memory", "submit", "local:///opt/a.py", "--executor-memory", "lots")]
    [InlineData("--driver-memory", "submit", "local:///opt/a.py", "--driver-memory", "1.5g")]
    [InlineData("--name", "submit", "local:///opt/a.py", "--name", "???")]
    [InlineData("resource", "submit", "missing.py")]
    public async Task Bad_input_is_a_located_error_with_exit_2(string path, params string[] args)
    {
        using var dir = new TempDir();

        var result = await CliHarness.RunAsync(Offline(dir), args);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain($"error: {path}");
    }
}
