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

        var result = await CliHarness.RunAsync(Offline(dir), "submit", "--executor-memory", "512m", "--dry-run", "job.py");

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

        var result = await CliHarness.RunAsync(Offline(dir), "submit", "--class", "a.Main", "--dry-run", "-o", "json", "s3a://b/app.jar");

        result.ExitCode.Should().Be(0, result.ToString());
        var list = System.Text.Json.Nodes.JsonNode.Parse(result.Stdout)!;
        list["kind"]!.GetValue<string>().Should().Be("List");
        list["items"]!.AsArray().Select(i => i!["kind"]!.GetValue<string>()).Should().Equal("Pod", "ConfigMap", "Service", "ConfigMap");
        result.Stderr.Should().Contain("Driver:");
    }

    [Fact]
    public async Task Options_after_the_application_are_its_arguments_and_a_misplaced_one_is_named()
    {
        using var dir = new TempDir();
        dir.Write("job.py", "print(1)\n");

        var result = await CliHarness.RunAsync(Offline(dir), "submit", "--dry-run", "job.py", "--day", "2026-11-24", "--jars", "x.jar");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stderr.Should().Contain("warning: --jars comes after the application job.py");
        result.Stderr.Should().NotContain("--day comes after");
        result.Stdout.Should().Contain("- local:///opt/kindling/app/job.py\n    - --day\n    - 2026-11-24\n    - --jars\n    - x.jar\n");
        result.Stdout.Should().NotContain("spark.jars=");
    }

    [Fact]
    public async Task Verbose_prints_the_resolved_conf_with_secrets_redacted()
    {
        using var dir = new TempDir();

        var result = await CliHarness.RunAsync(Offline(dir), "submit", "--verbose", "--dry-run",
            "--conf", "spark.hadoop.fs.s3a.secret.key=hunter2", "--conf", "spark.sql.shuffle.partitions=64", "local:///opt/a.py");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain("Spark config:");
        result.Stdout.Should().Contain("(spark.hadoop.fs.s3a.secret.key,*********(redacted))");
        result.Stdout.Should().Contain("(spark.sql.shuffle.partitions,64)");
        result.Stdout.Split("Spark config:")[1].Split("apiVersion")[0].Should().NotContain("hunter2");
    }

    [Fact]
    public async Task Properties_file_conf_is_used_and_conf_flags_win_over_it()
    {
        using var dir = new TempDir();
        dir.Write("spark.conf", "spark.sql.shuffle.partitions 32\nspark.executor.instances=5\nnot.spark=1\n");

        var result = await CliHarness.RunAsync(Offline(dir), "submit", "--properties-file", "spark.conf", "--conf", "spark.sql.shuffle.partitions=64",
            "--dry-run", "local:///opt/a.py");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain("spark.sql.shuffle.partitions=64").And.Contain("spark.executor.instances=5");
        result.Stderr.Should().Contain("warning: Ignoring non-Spark config property: not.spark");
    }

    [Theory]
    [InlineData("--class", "submit", "app.jar")]
    [InlineData("--conf", "submit", "--conf", "novalue", "local:///opt/a.py")]
    [InlineData("--executor-memory", "submit", "--executor-memory", "lots", "local:///opt/a.py")]
    [InlineData("--driver-memory", "submit", "--driver-memory", "1.5g", "local:///opt/a.py")]
    [InlineData("--name", "submit", "--name", "???", "local:///opt/a.py")]
    [InlineData("resource", "submit", "missing.py")]
    public async Task Bad_input_is_a_located_error_with_exit_2(string path, params string[] args)
    {
        using var dir = new TempDir();

        var result = await CliHarness.RunAsync(Offline(dir), args);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain($"error: {path}");
    }
}
