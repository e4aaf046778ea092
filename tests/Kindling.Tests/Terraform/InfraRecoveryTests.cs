using Kindling.Tests.Cli;

namespace Kindling.Tests.Terraform;

/// <summary>
/// Failures in the middle of apply: terraform's state is kept, and running apply again converges on one copy of
/// everything. The two tests share a moto_server, reset before each.
/// </summary>
public sealed class InfraRecoveryTests(MotoFixture moto) : IClassFixture<MotoFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => moto.Server.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Apply_that_fails_midway_keeps_its_state_and_a_rerun_converges_without_duplicates()
    {
        using var scenario = new InfraScenario(moto.Server);
        // A role of the same name, made outside Terraform, fails the first apply halfway: the VPC and much else
        // are already created by then.
        await moto.Server.AwsAsync("iam", "create-role", "--role-name", "kindling-eks-node",
            "--assume-role-policy-document", """{"Version":"2012-10-17","Statement":[]}""");

        var failed = await scenario.CliAsync("infra", "apply", "--auto-approve", "-f", scenario.ConfigPath);

        failed.ExitCode.Should().Be(1, failed.ToString());
        failed.Stderr.Should().Contain("terraform apply failed")
            .And.Contain("Error: creating IAM Role (kindling-eks-node)", "terraform's own error text is shown")
            .And.Contain("EntityAlreadyExists");
        (await scenario.KindlingVpcsAsync()).Should().ContainSingle("the VPC was created before the failure");
        (await scenario.TerraformAsync("state", "list")).Stdout.Should().Contain("aws_vpc.main");

        await moto.Server.AwsAsync("iam", "delete-role", "--role-name", "kindling-eks-node");
        var rerun = await scenario.CliAsync("infra", "apply", "--auto-approve", "-f", scenario.ConfigPath);

        rerun.ExitCode.Should().Be(0, rerun.ToString());
        var vpcs = await scenario.KindlingVpcsAsync();
        vpcs.Should().ContainSingle("the re-run continued from the state instead of starting over");
        (await scenario.SubnetsAsync(vpcs[0].GetProperty("VpcId").GetString()!)).Should().HaveCount(6);
        (await scenario.RepositoriesAsync()).Should().HaveCount(2);
        (await scenario.KindlingRolesAsync()).Should().Equal("kindling-cluster-autoscaler", "kindling-ebs-csi", "kindling-eks-cluster", "kindling-eks-node", "kindling-spark");
        (await scenario.ClustersAsync()).Should().Equal("kindling");
        scenario.State.Terraform.Should().NotBeNull();
    }

    [Fact]
    public async Task Ctrl_c_during_apply_stops_terraform_cleanly_and_a_rerun_converges()
    {
        using var scenario = new InfraScenario(moto.Server);
        using var interrupt = new CancellationTokenSource();

        var applying = CliHarness.RunAsync(scenario.Run(interrupt.Token), "infra", "apply", "--auto-approve", "-f", scenario.ConfigPath);
        // Interrupt once terraform is visibly creating resources.
        while (!applying.IsCompleted && (await scenario.KindlingVpcsAsync()).Count == 0) await Task.Delay(200);
        interrupt.Cancel();
        var interrupted = await applying;

        interrupted.ExitCode.Should().Be(130, interrupted.ToString());
        interrupted.Stderr.Should().Contain("waiting for terraform to finish in-flight operations");
        var state = await scenario.TerraformAsync("state", "list");
        state.ExitCode.Should().Be(0, $"the state is readable after the interrupt: {state}");
        state.Stdout.Should().Contain("aws_vpc.main");

        var rerun = await scenario.CliAsync("infra", "apply", "--auto-approve", "-f", scenario.ConfigPath);

        rerun.ExitCode.Should().Be(0, rerun.ToString());
        (await scenario.KindlingVpcsAsync()).Should().ContainSingle();
        (await scenario.RepositoriesAsync()).Should().HaveCount(2);
        (await scenario.ClustersAsync()).Should().Equal("kindling");
    }
}
