using System.Text.Json;
using Kindling.Tests.Cli;
using Kindling.Tests.Images;

namespace Kindling.Tests.Provision;

/// <summary>
/// An unattended <c>up --provision</c> (stdin not a terminal, as in the harness) whose Terraform stage would run is
/// refused before anything runs: no terraform, no docker, nothing written, exit 2, with the flag that approves.
/// </summary>
public sealed class ProvisionApprovalTests : IDisposable
{
    private readonly TempDir dir = new();
    private readonly FakeTools tools = new(withAws: false);

    public void Dispose()
    {
        tools.Dispose();
        dir.Dispose();
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task Eks_without_auto_approve_and_without_a_terminal_fails_early_and_changes_nothing(string output)
    {
        File.WriteAllText(dir.File("kindling.yaml"), "cluster:\n  kind: eks\naws:\n  region: eu-west-1\n");

        var result = await CliHarness.RunAsync(new CliRun(dir.Path) { Environment = new Dictionary<string, string?> { ["PATH"] = tools.Path, ["KUBECONFIG"] = null } },
            "up", "--provision", "--kubeconfig", dir.File("kubeconfig"), "-o", output);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain("--auto-approve").And.Contain("stdin is not a terminal").And.Contain("nothing was changed");
        if (output == "json")
            JsonDocument.Parse(result.Stdout).RootElement.GetProperty("error").GetProperty("code").GetString().Should().Be("invalid_input");
        Directory.Exists(dir.File(".kindling")).Should().BeFalse("terraform was not run and nothing was recorded");
        File.Exists(dir.File("kubeconfig")).Should().BeFalse();
        tools.Calls().Should().BeEmpty();
    }
}
