using Kindling.Configuration;

namespace Kindling.Tests.Cli;

public sealed class InitCommandTests
{
    [Fact]
    public async Task Init_writes_a_config_that_loads_as_the_defaults()
    {
        using var dir = new TempDir();
        var result = await CliHarness.RunAsync(dir.Path, "init");
        result.ExitCode.Should().Be(0, result.ToString());
        var loaded = ConfigLoader.LoadOrDefaults(null, dir.Path);
        loaded.SourcePath.Should().Be(dir.File("kindling.yaml"));
        System.Text.Json.JsonSerializer.Serialize(loaded.Spec).Should().Be(System.Text.Json.JsonSerializer.Serialize(new EnvironmentSpec()));
    }

    [Fact]
    public async Task Init_writes_a_gitignore_and_only_appends_missing_lines_to_an_existing_one()
    {
        using var dir = new TempDir();
        (await CliHarness.RunAsync(dir.Path, "init")).ExitCode.Should().Be(0);
        File.ReadAllLines(dir.File(".gitignore")).Should().Contain([".kindling/", "kindling-out/"]);

        using var other = new TempDir();
        other.Write(".gitignore", "bin/\n/.kindling\n*.log");
        var result = await CliHarness.RunAsync(other.Path, "init");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain("Added kindling-out/ to .gitignore");
        var text = File.ReadAllText(other.File(".gitignore"));
        text.Should().StartWith("bin/\n/.kindling\n*.log\n", "what was there is kept as it was");
        text.Split('\n').Count(l => l.Contains(".kindling", StringComparison.Ordinal)).Should().Be(1, "an equivalent line is not added twice");
        text.Should().EndWith("kindling-out/\n");
    }

    [Fact]
    public async Task Init_refuses_to_overwrite_without_force()
    {
        using var dir = new TempDir();
        dir.Write("custom.yaml", "name: mine\n");
        var refused = await CliHarness.RunAsync(dir.Path, "init", "-f", "custom.yaml");
        refused.ExitCode.Should().Be(2);
        refused.Stderr.Should().Contain("custom.yaml already exists").And.Contain("--force");
        File.ReadAllText(dir.File("custom.yaml")).Should().Be("name: mine\n");

        var forced = await CliHarness.RunAsync(dir.Path, "init", "-f", "custom.yaml", "--force", "-o", "json");
        forced.ExitCode.Should().Be(0, forced.ToString());
        forced.Stdout.Should().Contain("\"overwritten\": true");
        File.ReadAllText(dir.File("custom.yaml")).Should().Be(ConfigTemplate.Render(new EnvironmentSpec()));
    }

    [Fact]
    public async Task Unknown_arguments_are_bad_input()
    {
        using var dir = new TempDir();
        var result = await CliHarness.RunAsync(dir.Path, "init", "--frobnicate");
        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Contain("--frobnicate");
    }
}
