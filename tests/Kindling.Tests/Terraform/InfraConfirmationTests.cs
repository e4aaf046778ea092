using Kindling.Cli;
using Kindling.Testing;
using Kindling.Testing.Processes;

namespace Kindling.Tests.Terraform;

/// <summary>
/// At a terminal, apply asks before changing anything. Planning creations against an empty state makes no AWS
/// call, so the endpoint can point at a port nobody listens on: anything that did call AWS would fail the test.
/// </summary>
public sealed class InfraConfirmationTests
{
    [Fact]
    public async Task Declining_at_the_prompt_changes_nothing()
    {
        using var dir = new TempDir();
        var config = dir.Write("kindling.yaml", $"aws:\n  endpoint: http://127.0.0.1:{FreePort.Next()}\n");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var ctx = new CliContext
        {
            Stdout = stdout,
            Stderr = stderr,
            Stdin = new StringReader("no\n"),
            Console = CliContext.CreateConsole(stdout, ansi: false, interactive: true),
            ErrorConsole = CliContext.CreateConsole(stderr, ansi: false, interactive: true),
            WorkingDirectory = dir.Path,
            GetEnvironmentVariable = name => name switch
            {
                "KINDLING_TF_PLUGIN_DIR" => TerraformTool.PluginDirectory,
                _ => MotoServer.ClientEnvironment.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name),
            },
            Interactive = true,
        };

        var code = await CliApp.RunAsync(["infra", "apply", "-f", config], ctx, CancellationToken.None);

        code.Should().Be(1, $"{stdout}\n{stderr}");
        stderr.ToString().Should().Contain("Terraform will make these changes: 41 to add, 0 to change, 0 to destroy. Apply them? Only 'yes' is accepted:");
        stdout.ToString().Should().Contain("Cancelled: nothing was changed.");
        var workdir = dir.File(".kindling/terraform");
        File.Exists(Path.Combine(workdir, "terraform.tfstate")).Should().BeFalse();
        File.Exists(Path.Combine(workdir, "kindling.tfplan")).Should().BeFalse("a declined plan is not left behind");
    }
}
