using Kindling.Tests.Cli;
using Kindling.Testing;
using Kindling.Testing.Processes;

namespace Kindling.Tests.Terraform;

/// <summary>The infra commands' failures that need no AWS: missing terraform, refusals, missing or corrupt outputs.</summary>
public sealed class InfraCliTests
{
    [Fact]
    public async Task Missing_terraform_says_how_to_install_it_and_exits_1()
    {
        using var dir = new TempDir();
        var emptyPath = Directory.CreateDirectory(dir.File("bin")).FullName;
        // The API allow-list is given, so no public-address lookup runs before terraform is looked for.
        dir.Write("kindling.yaml", "aws:\n  apiAccessCidrs: [\"203.0.113.7/32\"]\n");

        var result = await CliHarness.RunAsync(
            new CliRun(dir.Path) { Environment = new Dictionary<string, string?> { ["PATH"] = emptyPath } }, "infra", "plan");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("terraform could not be started")
            .And.Contain("terraform is not installed or not on PATH")
            .And.Contain("https://developer.hashicorp.com/terraform/install");
    }

    [Fact]
    public async Task Plan_shows_every_resource_and_the_counts_and_creates_nothing()
    {
        // Planning creations against an empty state makes no AWS call, so a port nobody listens on will do.
        using var dir = new TempDir();
        var config = dir.Write("kindling.yaml", $"aws:\n  endpoint: http://127.0.0.1:{FreePort.Next()}\n");
        var run = new CliRun(dir.Path)
        {
            Environment = new Dictionary<string, string?>(MotoServer.ClientEnvironment) { ["KINDLING_TF_PLUGIN_DIR"] = TerraformTool.PluginDirectory },
        };

        var result = await CliHarness.RunAsync(run, "infra", "plan", "-f", config);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain("Plan: 41 to add, 0 to change, 0 to destroy. Run 'kindling infra apply' to make these changes.");
        result.Stderr.Should().Contain("· aws_eks_node_group.main will be created")
            .And.Contain("· aws_subnet.private[\"eu-west-1c\"] will be created")
            .And.Contain($"→ terraform init in {dir.File(".kindling/terraform")} (providers from {TerraformTool.PluginDirectory})");
        File.Exists(dir.File(".kindling/terraform/terraform.tfstate")).Should().BeFalse();
    }

    [Theory]
    [InlineData("destroy")]
    [InlineData("apply")]
    public async Task Without_a_terminal_apply_and_destroy_refuse_unless_auto_approved(string verb)
    {
        using var dir = new TempDir();

        var result = await CliHarness.RunAsync(dir.Path, "infra", verb);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain($"'kindling infra {verb}' needs confirmation, and stdin is not a terminal; run it again with --auto-approve");
        Directory.Exists(dir.File(".kindling")).Should().BeFalse("nothing runs before the refusal");
    }

    [Fact]
    public async Task Output_before_any_apply_says_to_apply_first()
    {
        using var dir = new TempDir();

        var result = await CliHarness.RunAsync(dir.Path, "infra", "output");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("no Terraform working directory at").And.Contain("run 'kindling infra apply' first");
    }

    [Fact]
    public async Task Incomplete_or_mistyped_outputs_are_a_clear_error_and_nothing_is_saved()
    {
        using var dir = new TempDir();
        dir.Write(".kindling/terraform/terraform.tfstate", State(
            """
            "cluster_name": {"value": "kindling", "type": "string"},
            "spark_repository_url": {"value": 42, "type": "number"},
            "jupyter_repository_url": {"value": "https://not-a-repository", "type": "string"}
            """));

        var result = await CliHarness.RunAsync(dir.Path, "infra", "output");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("Terraform outputs in").And.Contain("are incomplete or corrupt")
            .And.Contain("spark_repository_url: expected a repository URL (host/name), got number")
            .And.Contain("jupyter_repository_url: expected a repository URL (host/name), got 'https://not-a-repository'")
            .And.Contain("cluster_endpoint: missing")
            .And.Contain("cluster_certificate_authority: missing");
        File.Exists(dir.File(".kindling/state.json")).Should().BeFalse();
    }

    [Fact]
    public async Task A_state_without_outputs_says_nothing_is_applied()
    {
        using var dir = new TempDir();
        dir.Write(".kindling/terraform/terraform.tfstate", State(""));

        var result = await CliHarness.RunAsync(dir.Path, "infra", "output");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("Terraform has no outputs").And.Contain("run 'kindling infra apply'");
    }

    [Fact]
    public async Task A_corrupt_terraform_state_shows_terraforms_own_error()
    {
        using var dir = new TempDir();
        dir.Write(".kindling/terraform/terraform.tfstate", "{ this is not a state file");

        var result = await CliHarness.RunAsync(dir.Path, "infra", "output");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("terraform output failed").And.Contain("Unsupported state file format");
    }

    [Fact]
    public async Task Valid_outputs_are_saved_and_printed_as_json()
    {
        using var dir = new TempDir();
        dir.Write(".kindling/terraform/terraform.tfstate", State(
            """
            "cluster_name": {"value": "kindling", "type": "string"},
            "cluster_endpoint": {"value": "https://ABC.gr7.eu-west-1.eks.amazonaws.com", "type": "string"},
            "cluster_certificate_authority": {"value": "TFMwdExTMUNSVWRK", "type": "string"},
            "spark_repository_url": {"value": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark", "type": "string"},
            "jupyter_repository_url": {"value": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/jupyter", "type": "string"}
            """));

        var result = await CliHarness.RunAsync(dir.Path, "infra", "output", "-o", "json");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain("\"jupyterRepositoryUrl\": \"123456789012.dkr.ecr.eu-west-1.amazonaws.com/jupyter\"");
        var saved = Kindling.Configuration.LocalStateStore.For(null, dir.Path).Load().Terraform;
        saved!.ClusterEndpoint.Should().Be("https://ABC.gr7.eu-west-1.eks.amazonaws.com");
    }

    // A local-backend state file as terraform 1.x writes it; `terraform output` reads it without init.
    private static string State(string outputs) =>
        $$"""
        {"version": 4, "terraform_version": "1.11.4", "serial": 1, "lineage": "0b6c3d2e-0000-4000-8000-000000000001",
         "outputs": { {{outputs}} }, "resources": [], "check_results": null}
        """;
}
